import pkg from "../package.json" with { type: "json" };

/** The application version, from package.json. */
export const APP_VERSION: string = pkg.version;
