import { z } from "zod";
import { renderAccount } from "../objects";
import { expandParam, parseParams } from "../params";
import type { Route } from "./route";

export const accountRoutes: Route[] = [
  {
    method: "GET",
    pattern: /^\/v1\/account$/,
    handle: ({ params, account }) => {
      parseParams(z.strictObject({ expand: expandParam.optional() }), params);
      return renderAccount(account);
    },
  },
];
