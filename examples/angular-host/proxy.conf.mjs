// `npm start` (ng serve): the API under /svc, as the Nest example host mounts it.
export default {
  '/svc': { target: process.env.API_ORIGIN ?? 'http://127.0.0.1:3100', changeOrigin: false, secure: false },
};
