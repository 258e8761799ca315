import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/**
 * Saves a model as model.json + weights.bin (the tfjs layers format). tfjs-node's file:// handler
 * is optional here, so the two files are written by hand, each atomically.
 */
export async function saveModel(model: tfl.LayersModel, folder: string): Promise<string> {
  fs.mkdirSync(folder, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData ? Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) : Buffer.alloc(0);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      writeAtomically(path.join(folder, WEIGHTS_FILE), weights);
      writeAtomically(path.join(folder, MODEL_FILE), Buffer.from(JSON.stringify(modelJson)));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return folder;
}

/** Writes a whole file or none: a write cut short (a full disk) leaves no partial file taking the space. */
function writeAtomically(file: string, bytes: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, bytes);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new Error(`could not write ${file}`, { cause: error });
  }
  fs.renameSync(temporary, file);
}

export function modelExists(folder: string): boolean {
  return fs.existsSync(path.join(folder, MODEL_FILE)) && fs.existsSync(path.join(folder, WEIGHTS_FILE));
}

/** Which copy of a saved model a folder holds: each save writes new files (new inodes). */
export function modelVersion(folder: string): string {
  return [MODEL_FILE, WEIGHTS_FILE].map((name) => {
    const stat = fs.statSync(path.join(folder, name));
    return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  }).join('/');
}

/** Loads a model saved by saveModel. */
export async function loadModel(folder: string): Promise<tfl.LayersModel> {
  const modelJson = JSON.parse(fs.readFileSync(path.join(folder, MODEL_FILE), 'utf8')) as tf.io.ModelJSON;
  const weights = fs.readFileSync(path.join(folder, WEIGHTS_FILE));
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest[0].weights,
      weightData,
    }),
  );
}
