import type { MetaFunction } from "@remix-run/node";

/**
 * Every path no other route matches (/.env, /wp-login.php, a mistyped link): a
 * 404 the root error boundary puts in words. Without it Remix answers them
 * itself, writing the path to stderr as a warning, and a path may hold a token.
 */
// The title is the root error boundary's, which renders the page.
export const meta: MetaFunction = () => [{ name: "robots", content: "noindex" }];

const notFound = () => new Response("Not Found", { status: 404, statusText: "Not Found" });

export function loader(): never {
  throw notFound();
}

export function action(): never {
  throw notFound();
}

export default function NotFound() {
  return null;
}
