#!/usr/bin/env node
// Launcher for the `qtk` command: the compiled CLI lives in ../dist (built by `npm ci`).
import '../dist/bin.js';
