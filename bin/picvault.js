#!/usr/bin/env node
// The published entry point: the compiled CLI lives in dist/ (built by `npm install` via `prepare`).
// Reading tens of thousands of small files is latency-bound; libuv's default of 4 threads leaves
// the disk idle. It must be set before the first I/O, hence before the CLI is imported.
process.env.UV_THREADPOOL_SIZE ??= '16';
await import('../dist/cli/run.js');
