#!/usr/bin/env node
/** The `qtk` executable: runs the CLI on the process arguments and exits with its code. */
import { run } from './main.js';

process.exitCode = await run(process.argv.slice(2));
