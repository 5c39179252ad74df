// Taro runs with this folder as its project root; the one Babel config lives at the repository root.
module.exports = require('../babel.config.js');
