export const RULESET_VERSION = "placeholder";
