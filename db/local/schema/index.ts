export * from './access';
export * from './care';
export * from './clinical';
export * from './orders';
export * from './organisation';
export * from './records';
export * from './scheduling';
export * from './workstation';
