#!/usr/bin/env node
// The published entry point: the compiled CLI lives in dist/ (built by `npm install` via `prepare`).
await import('../dist/cli/run.js');
