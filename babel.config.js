// Used by Taro's build of the mini-program (weapp and H5). Jest compiles with SWC instead.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
};
