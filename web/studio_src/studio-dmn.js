// The studio's DMN editor: dmn-js (DRD, decision tables, literal expressions)
// with the Camunda moddle. Bundled by web/vendor.py.
import DmnModeler from 'dmn-js/lib/Modeler';
import camundaDmnModdle from 'camunda-dmn-moddle/resources/camunda.json';
import TranslateModule from './translate-zh.js';

window.OneWindowStudio = Object.assign(window.OneWindowStudio || {}, {
  DmnModeler,
  dmnModules: [TranslateModule],
  dmnModdleExtensions: { camunda: camundaDmnModdle }
});
