// Chinese for the modelers' own words (palette, context pad, properties
// panel, dmn-js tables): the pages are Chinese first (DESIGN.md decision 11).
// diagram-js and dmn-js route every label through a `translate` service;
// this one looks a label up when the page is in Chinese, else leaves it.
const ZH = {
  // palette and context pad
  'Activate hand tool': '抓手工具', 'Activate lasso tool': '套索工具',
  'Activate create/remove space tool': '插入/删除空间', 'Activate global connect tool': '连线工具',
  'Create start event': '开始事件', 'Create intermediate/boundary event': '中间/边界事件',
  'Create end event': '结束事件', 'Create gateway': '网关', 'Create task': '任务',
  'Create data object reference': '数据对象', 'Create data store reference': '数据存储',
  'Create expanded subprocess': '展开的子流程', 'Create pool/participant': '池/参与者', 'Create group': '分组',
  'Append end event': '追加结束事件', 'Append gateway': '追加网关', 'Append task': '追加任务',
  'Append intermediate/boundary event': '追加中间事件', 'Append text annotation': '追加注释',
  'Add text annotation': '添加注释', 'Change element': '更改类型', 'Change type': '更改类型', 'Delete': '删除',
  'Connect using sequence/message flow or association': '连线（顺序流/消息流/关联）',
  'Connect using association': '关联连线', 'Connect to other element': '连接到其他元素',
  'Add lane above': '在上方添加泳道', 'Add lane below': '在下方添加泳道',
  'Divide into two lanes': '拆分为两条泳道', 'Divide into three lanes': '拆分为三条泳道',
  'Search in diagram': '在图中查找',
  // properties panel
  'General': '常规', 'Name': '名称', 'ID': '标识', 'Documentation': '说明', 'Element documentation': '元素说明',
  'Process documentation': '流程说明', 'Condition': '条件', 'Condition type': '条件类型', 'Expression': '表达式',
  'Script': '脚本', 'Format': '格式', 'Type': '类型', 'Value': '值', 'Forms': '表单', 'Form fields': '表单字段',
  'Form key': '表单键', 'Form type': '表单类型', 'Label': '标签', 'Default value': '默认值',
  'User assignment': '办理人', 'Assignee': '办理人', 'Candidate groups': '候选部门', 'Candidate users': '候选用户',
  'Due date': '到期时间', 'Follow up date': '跟进时间', 'Priority': '优先级', 'Timer': '定时器',
  'Date': '日期', 'Duration': '时长', 'Cycle': '周期', 'Extension properties': '扩展属性',
  'Execution listeners': '执行监听器', 'Task listeners': '任务监听器', 'Inputs': '输入', 'Outputs': '输出',
  'Asynchronous continuations': '异步续行', 'Implementation': '实现', 'Decision reference': '决策引用',
  'Result variable': '结果变量', 'Binding': '绑定', 'Called element': '被调用流程', 'Process': '流程',
  'Executable': '可执行', 'Version tag': '版本标签', 'History cleanup': '历史清理', 'Tasklist': '任务列表',
  'Candidate starter': '可发起人', 'Job execution': '作业执行', 'Multi-instance': '多实例', 'Template': '模板',
  'Start initiator': '发起人', 'Variable name': '变量名', 'Message': '消息', 'Signal': '信号', 'Error': '错误',
  'Escalation': '升级', 'Link': '链接', 'In mapping propagation': '输入传递', 'Out mapping propagation': '输出传递',
  'In mappings': '输入映射', 'Out mappings': '输出映射', 'Field injections': '字段注入', 'Connector inputs': '连接器输入',
  'Connector outputs': '连接器输出', 'Properties': '属性', 'Constraints': '约束', 'Validation': '校验',
  'Data': '数据', 'Input': '输入', 'Output': '输出', 'Details': '详情',
  // element types (the properties panel's header)
  'Collaboration': '协作', 'User Task': '用户任务', 'Task': '任务', 'Sequence Flow': '顺序流',
  'Exclusive Gateway': '排他网关', 'Parallel Gateway': '并行网关', 'Inclusive Gateway': '包容网关',
  'Start Event': '开始事件', 'End Event': '结束事件', 'Call Activity': '调用活动', 'Business Rule Task': '业务规则任务',
  'Script Task': '脚本任务', 'Service Task': '服务任务', 'Manual Task': '人工任务', 'Sub Process': '子流程',
  'Boundary Event': '边界事件', 'Timer Boundary Event': '定时边界事件',
  'Intermediate Catch Event': '中间捕获事件', 'Timer Intermediate Catch Event': '定时中间事件',
  'Lane': '泳道', 'Participant': '参与者', 'Text Annotation': '注释', 'Group': '分组',
  // dmn-js
  'When': '当', 'And': '且', 'Then': '则', 'Annotations': '注释', 'Annotation': '注释', 'Hit policy:': '命中策略：',
  'View DRD': '查看决策需求图', 'Add rule': '添加规则', 'Add input': '添加输入', 'Add output': '添加输出',
  'Decision table': '决策表', 'Literal expression': '字面表达式', 'Input label': '输入名称',
  'Output label': '输出名称', 'Input expression': '输入表达式', 'Output name': '输出变量'
};

function translate(template, replacements) {
  const lang = (document.documentElement.lang || '').toLowerCase();
  const text = lang.startsWith('zh') && ZH[template] ? ZH[template] : template;
  return text.replace(/{([^}]+)}/g, (_all, key) => (replacements || {})[key] ?? '{' + key + '}');
}

export default { translate: ['value', translate] };
