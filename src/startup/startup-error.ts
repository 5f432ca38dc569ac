/**
 * An expected start-up failure (port taken, database unreachable…): its message names the variable
 * or resource and what to do, and is printed alone, without a stack trace.
 */
export class StartupError extends Error {}
