export { checkPlatform, localPlatform, SERVICES, type Platform, type ServiceName } from './platform.js';
export { closePools, consumerLag, outboxLag, SAGA_GROUPS, servicePools, type ServicePools } from './pools.js';
export { adminBearer, call, firstOrders, openShop, orderBody, type Answer, type Shop, type ShopSize } from './shop.js';
export { watchTerminals, type Terminal, type TerminalWatch } from './terminals.js';
