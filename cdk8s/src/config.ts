import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PROFILES } from './profiles.js';

const imagesFile = z.record(z.string().min(1), z.string().min(1));

/** The CLIs' environment: which profile, the images the local node built, the namespace. */
const environmentSchema = z.object({
  CDK8S_PROFILE: z.enum(PROFILES).default('kind'),
  /** A `tags.json` of the local node's images: `{ "<name>": "localhost/msa/<name>:<tag>" }`. */
  CDK8S_IMAGES: z.string().min(1).optional(),
  /** Tag of the kind/staging images, `msa-ecommerce/<name>:<tag>`. */
  CDK8S_IMAGE_TAG: z.string().regex(/^[\w][\w.-]{0,127}$/, 'expected an image tag').default('dev'),
  /** Where the local node keeps the servers' volumes. */
  CDK8S_VOLUMES_DIR: z.string().startsWith('/', 'expected an absolute path').optional(),
  /** The local node's kube-apiserver port, for the egress of the pods that talk to it. */
  CDK8S_API_SERVER_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  CDK8S_NAMESPACE: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'expected a namespace name').default('msa'),
});

/** What the CLI was asked for, validated. */
export interface Cdk8sConfig {
  readonly profile: (typeof PROFILES)[number];
  readonly localImages?: Readonly<Record<string, string>>;
  readonly imageTag: string;
  readonly volumesDirectory?: string;
  readonly namespace: string;
  readonly apiServerPort?: number;
}

/** A bad variable, or an images file that cannot be read; the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads the CLI's environment. Throws {@link ConfigError} naming every bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Cdk8sConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  const { CDK8S_PROFILE: profile, CDK8S_IMAGES: images, CDK8S_IMAGE_TAG: imageTag, CDK8S_VOLUMES_DIR: volumes, CDK8S_NAMESPACE: namespace, CDK8S_API_SERVER_PORT: apiServerPort } = parsed.data;
  return {
    profile,
    imageTag,
    namespace,
    ...(images === undefined ? {} : { localImages: readImages(images) }),
    ...(volumes === undefined ? {} : { volumesDirectory: volumes }),
    ...(apiServerPort === undefined ? {} : { apiServerPort }),
  };
}

function readImages(path: string): Readonly<Record<string, string>> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`CDK8S_IMAGES: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`CDK8S_IMAGES: ${path} is not JSON`);
  }
  const parsed = imagesFile.safeParse(json);
  if (!parsed.success) throw new ConfigError(`CDK8S_IMAGES: ${path} must map image names to image references`);
  return parsed.data;
}
