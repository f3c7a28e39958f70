export { PROFILES, profile, type Profile, type ProfileName, type ProfileOptions } from './profiles.js';
export { POSTGRES_CREDENTIALS, PROGRAMS, programSpecs, secretName, type ProgramName, type ProgramSpec } from './programs.js';
export { synthesize, synthesizeProfile, writeProfile, type Manifest, type RenderedChart, type SynthesizedProfile, type SynthesizeOptions } from './synthesize.js';
export { freshSecretMaterial, platformSecrets, type SecretMaterial } from './secrets.js';
