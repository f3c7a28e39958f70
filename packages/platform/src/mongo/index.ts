export { createMongoClient, DEFAULT_MONGO_TIMEOUT_MS, type MongoClientOptions } from './client.js';
export { mongoClientFrom, mongoVariables, type MongoConfig } from './env.js';
