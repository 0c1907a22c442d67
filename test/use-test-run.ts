import { inject } from "vitest";
import { useBuiltServer } from "./support/paths";

// Every test file starts the build its own run made (test/global-setup.ts), never
// build/, which another run or `npm run build` may be rewriting at that moment.
useBuiltServer(inject("testRun").builtServer);
