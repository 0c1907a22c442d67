// Loader and action types under Single Fetch (remix.config.js turns it on):
// turbo-stream keeps Dates, BigInts and Maps, and `data()` carries a status.
import "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
