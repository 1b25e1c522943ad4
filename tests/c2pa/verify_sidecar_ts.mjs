#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// Validates a sidecar manifest store against its asset with c2pa-ts. c2pa-rs cannot do this here: the wasm
// build in ../shared/tools/c2pa-ref (c2pa-wasm 0.13.3) has no external-manifest entry point (c2pa-rs's
// Reader::from_manifest_data_and_stream), so c2pa-rs only checks the store alone (interop_test.sh).
// interop_test.sh copies this file into its c2pa-ref copy, where @trustnxt/c2pa-ts is installed.
//   node verify_sidecar_ts.mjs STORE.c2pa ASSET
// Prints {"success_codes": [...], "failure_codes": [...]}; exit 0 when there is no failure code, 1 otherwise,
// 2 when the store or asset cannot be read.
import { readFileSync } from 'node:fs';

import { JPEG, PNG } from '@trustnxt/c2pa-ts/asset';
import { SuperBox } from '@trustnxt/c2pa-ts/jumbf';
import { ManifestStore } from '@trustnxt/c2pa-ts/manifest';

const [storeFile, assetFile] = process.argv.slice(2);
let store;
let asset;
try {
  store = ManifestStore.read(SuperBox.fromBuffer(new Uint8Array(readFileSync(storeFile))));
  const bytes = new Uint8Array(readFileSync(assetFile));
  // c2pa-ts hashes whatever asset class it is given; JPEG and PNG are the ones it parses.
  asset = JPEG.canRead(bytes) ? new JPEG(bytes) : PNG.canRead(bytes) ? new PNG(bytes) : null;
  if (!asset) throw new Error('c2pa-ts reads JPEG and PNG assets only');
  if (asset.getManifestJUMBF()) throw new Error('the asset has an embedded manifest');
} catch (e) {
  process.stdout.write(JSON.stringify({ error: String(e?.message ?? e) }) + '\n');
  process.exit(2);
}
const entries = (await store.validate(asset)).statusEntries ?? [];
const result = {
  success_codes: entries.filter((e) => e.success).map((e) => e.code),
  failure_codes: entries.filter((e) => !e.success).map((e) => e.code),
};
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(result.failure_codes.length ? 1 : 0);
