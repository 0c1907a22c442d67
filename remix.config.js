// `npm run build` writes the server to build/index.js and the browser's assets to
// public/build/. BUILD_DIR puts both (and the compiler's cache) under another
// directory instead: each test run builds into one of its own (test/global-setup.ts)
// and `npm run dev` into .cache/dev, so no run or dev server ever overwrites, or
// serves, another's build (docs/decisions/0010-builds-and-test-isolation.md).
const buildDir = process.env.BUILD_DIR;

/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.*"],
  // Our own HTTP server (plain + mTLS listeners, body limits) is compiled with the
  // app into build/index.js, so `npm start` runs one file.
  server: "./app/server/main.ts",
  serverBuildPath: buildDir ? `${buildDir}/build/index.js` : "build/index.js",
  // The server serves its assets from the folder above this one (app/server/app-server.ts).
  assetsBuildDirectory: buildDir ? `${buildDir}/public/build` : "public/build",
  cacheDirectory: buildDir ? `${buildDir}/compiler-cache` : ".cache/remix",
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
