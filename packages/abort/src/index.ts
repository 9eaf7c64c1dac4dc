export * from './light-abort';
