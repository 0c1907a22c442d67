/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  // Our own HTTP server (plain + mTLS listeners, body limits) is compiled with the
  // app into build/index.js, so `npm start` runs one file.
  server: "./app/server/main.ts",
  serverBuildPath: "build/index.js",
  serverModuleFormat: "esm",
  serverPlatform: "node",
  // Polaris ships CSS imports that Node cannot load at run time.
  serverDependenciesToBundle: [/^@shopify\/polaris/],
  future: {
    v3_fetcherPersist: true,
    v3_lazyRouteDiscovery: true,
    v3_relativeSplatPath: true,
    v3_singleFetch: true,
    v3_throwAbortReason: true,
  },
};
