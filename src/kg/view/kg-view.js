/* govnews-kg network page: draws KG_NODES / KG_EDGES with vis-network.
 * Article text is only ever inserted with textContent: vis-network renders a string
 * `title` as HTML, so tooltips are Elements built here from the JSON data.
 * (This file is included through Jinja: never write two opening braces in a row.)
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function evidenceBlock(text, source) {
    var block = el("div");
    block.appendChild(el("p", "kg-evidence", "“" + text + "”"));
    if (source) block.appendChild(el("div", "kg-source", "来源：" + source));
    return block;
  }

  function nodeTooltip(node) {
    var tip = el("div", "kg-tip");
    tip.appendChild(el("strong", null, node.label));
    tip.appendChild(el("p", "kg-kindline", "类型：" + node.kind));
    node.details.forEach(function (line) { tip.appendChild(el("p", null, line)); });
    if (node.aliases.length) tip.appendChild(el("p", null, "别名：" + node.aliases.join("、")));
    if (node.evidence) tip.appendChild(el("p", "kg-evidence", "“" + node.evidence + "”"));
    return tip;
  }

  function edgeTooltip(edge) {
    var tip = el("div", "kg-tip");
    tip.appendChild(el("strong", null, edge.kind === edge.label ? edge.label : edge.kind + "：" + edge.label));
    edge.sentences.slice(0, 3).forEach(function (s) { tip.appendChild(evidenceBlock(s.text, s.source)); });
    return tip;
  }

  var KG = JSON.parse(document.getElementById("kg-data").textContent);
  var KG_NODES = KG.nodes, KG_EDGES = KG.edges, KG_OPTIONS = KG.options;
  var nodeById = {}, edgeById = {};
  KG_NODES.forEach(function (n) { nodeById[n.id] = n; });
  KG_EDGES.forEach(function (e) { edgeById[e.id] = e; });

  /* vis gets only what it draws: copying every record's facts and sentences into its
   * DataSets costs seconds at 5,000 nodes. The panels read the records by id. */
  var DRAWN = ["id", "label", "group", "value", "x", "y", "color", "from", "to"];
  function drawn(record, tooltip) {
    var item = { title: tooltip };
    DRAWN.forEach(function (key) { if (record[key] !== undefined) item[key] = record[key]; });
    return item;
  }
  var nodes = new vis.DataSet(KG_NODES.map(function (n) { return drawn(n, nodeTooltip(n)); }));
  var edges = new vis.DataSet(KG_EDGES.map(function (e) { return drawn(e, edgeTooltip(e)); }));
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, KG_OPTIONS);
  window.kgNetwork = network;
  window.kgNodes = nodes;
  window.kgEdges = edges;
  window.kgStabilised = KG_NODES.length === 0;
  /* Settled: no more layout work; kgSettledAt is when, in ms since navigation began (bench/). */
  function settled() {
    window.kgStabilised = true;
    window.kgSettledAt = performance.now();
  }
  if (KG_OPTIONS.physics.enabled) {
    /* Freeze once the 200 stabilisation iterations are done: settling fully takes
     * tens of seconds even at 200 nodes (KNOWN-TRAPS), burning CPU on the analyst's machine. */
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      settled();
    });
  } else {
    /* Positions came from Python: the view is settled once it is first drawn. */
    network.once("afterDrawing", settled);
  }

  /* Side panel: a node's facts with their sentences and articles, or an edge's sentences. */
  var panel = document.getElementById("kg-panel");
  var panelBody = document.getElementById("kg-panel-body");

  function section(title, items, render) {
    if (!items.length) return;
    panelBody.appendChild(el("h3", null, title));
    var list = el("ul");
    items.forEach(function (item) { list.appendChild(render(item)); });
    panelBody.appendChild(list);
  }

  function showNode(id) {
    var node = nodeById[id];
    if (!node) return;
    panelBody.replaceChildren();
    panelBody.appendChild(el("h2", null, node.label));
    panelBody.appendChild(el("p", "kg-kindline", node.kind));
    node.details.forEach(function (line) { panelBody.appendChild(el("p", null, line)); });
    if (node.aliases.length) panelBody.appendChild(el("p", null, "别名：" + node.aliases.join("、")));
    section("事实", node.facts, function (fact) {
      var item = el("li", null, fact.text);
      if (fact.evidence) item.appendChild(evidenceBlock(fact.evidence, fact.source));
      return item;
    });
    if (node.more) panelBody.appendChild(el("p", "kg-source", "另有 " + node.more + " 条未列出"));
    section("提及该实体的文章", node.articles, function (headline) { return el("li", null, headline); });
    panel.hidden = false;
  }

  function showEdge(id) {
    var edge = edgeById[id];
    if (!edge) return;
    var from = nodeById[edge.from], to = nodeById[edge.to];
    panelBody.replaceChildren();
    panelBody.appendChild(el("h2", null, from.label + " → " + to.label));
    panelBody.appendChild(el("p", "kg-kindline", edge.kind + "（" + edge.relation + "）：" + edge.label));
    section("证据", edge.sentences, function (s) {
      var item = el("li");
      item.appendChild(evidenceBlock(s.text, s.source));
      return item;
    });
    panel.hidden = false;
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else panel.hidden = true;
  });
  document.getElementById("kg-panel-close").addEventListener("click", function () { panel.hidden = true; });

  /* Search: any label or alias, or their toneless pinyin (whole or initials, spaces and
   * apostrophes ignored) when the query is in Latin letters; exact names first, then
   * prefixes, then substrings. */
  var search = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");

  function rank(node, query) {
    var names = [node.label].concat(node.aliases).map(function (n) { return n.toLowerCase(); });
    var latin = query.replace(/[\s'’]+/g, "");
    if (/^[0-9a-z]+$/.test(latin)) {
      names = names.concat(node.pinyin);
      query = latin;
    }
    if (names.indexOf(query) >= 0) return 0;
    if (names.some(function (n) { return n.indexOf(query) === 0; })) return 1;
    if (names.some(function (n) { return n.indexOf(query) >= 0; })) return 2;
    return -1;
  }

  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 400 } });
    showNode(id);
    results.hidden = true;
  }

  function findNodes(query) {
    return KG_NODES
      .map(function (n) { return { node: n, rank: rank(n, query) }; })
      .filter(function (m) { return m.rank >= 0; })
      .sort(function (a, b) { return a.rank - b.rank || a.node.label.localeCompare(b.node.label, "zh"); })
      .slice(0, 20)
      .map(function (m) { return m.node; });
  }

  search.addEventListener("input", function () {
    var query = search.value.trim().toLowerCase();
    results.replaceChildren();
    var found = query ? findNodes(query) : [];
    found.forEach(function (node) {
      var item = el("li", null, node.label);
      item.appendChild(el("span", "kg-kind", node.kind));
      item.addEventListener("click", function () { focusNode(node.id); });
      results.appendChild(item);
    });
    results.hidden = found.length === 0;
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && results.firstChild) {
      var query = search.value.trim().toLowerCase();
      focusNode(findNodes(query)[0].id);
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });
})();
