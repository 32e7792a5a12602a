// The studio's BPMN modeler: bpmn-js with the properties panel and the Camunda
// 7 moddle and behaviours, so designers edit the same extensions the Camunda
// Modeler desktop app writes (DESIGN.md decision 1). Bundled by web/vendor.py.
import BpmnModeler from 'bpmn-js/lib/Modeler';
import {
  BpmnPropertiesPanelModule,
  BpmnPropertiesProviderModule,
  CamundaPlatformPropertiesProviderModule
} from 'bpmn-js-properties-panel';
import CamundaBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import TranslateModule from './translate-zh.js';

window.OneWindowStudio = Object.assign(window.OneWindowStudio || {}, {
  BpmnModeler,
  bpmnModules: [
    BpmnPropertiesPanelModule,
    BpmnPropertiesProviderModule,
    CamundaPlatformPropertiesProviderModule,
    CamundaBehaviorsModule,
    TranslateModule
  ],
  bpmnModdleExtensions: { camunda: camundaModdle }
});
