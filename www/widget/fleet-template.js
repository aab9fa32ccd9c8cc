// The shadow DOM of <ecs-password-fleet>: its structure, ids and data-t keys are the element's
// contract with hosts and tests (docs/widget.md). Texts come from the catalogues (../i18n/); the
// table's rows are built by fleet.js.
export const FLEET_TEMPLATE = `
<section class="ecs fleet" part="root" aria-labelledby="title">
  <h2 id="title" class="title" data-t="fleet.heading"></h2>
  <p id="idle" class="notice" hidden></p>
  <p id="live" class="status" role="status" aria-live="polite"></p>
  <div id="alert" class="alert" role="alert" tabindex="-1" hidden><p id="alert-text"></p><p id="alert-detail" class="detail"></p></div>
  <div id="body" hidden>
    <section id="key-section" class="card" aria-labelledby="key-h">
      <h3 id="key-h" data-t="fleet.keys.heading"></h3>
      <p id="keys-lead" class="detail" data-t="fleet.keys.lead"></p>
      <div id="drop" class="drop">
        <label for="key-file" data-t="fleet.keys.drop"></label>
        <input id="key-file" type="file" multiple aria-describedby="keys-lead">
      </div>
      <label for="key-text" data-t="key.paste"></label>
      <textarea id="key-text" rows="3" spellcheck="false" autocomplete="off" autocapitalize="off" placeholder="-----BEGIN RSA PRIVATE KEY-----"></textarea>
      <button id="use-pasted" type="button" class="secondary" data-t="key.usePasted"></button>
      <div id="passphrase-box" hidden>
        <p id="passphrase-help"></p>
        <label for="passphrase" data-t="key.passphrase"></label>
        <div class="row"><input id="passphrase" type="password" autocomplete="off" aria-describedby="passphrase-help">
        <button id="unlock" type="button" data-t="key.unlock"></button></div>
      </div>
      <ul id="key-list" class="key-list"></ul>
    </section>
    <section id="select-section" class="card" aria-labelledby="select-h">
      <h3 id="select-h" data-t="fleet.select.heading"></h3>
      <label for="filter" data-t="fleet.filter"></label>
      <input id="filter" type="search" autocomplete="off" spellcheck="false" aria-describedby="filter-hint">
      <p id="filter-hint" class="detail" data-t="fleet.filter.hint"></p>
      <label class="inline"><input id="windows-only" type="checkbox" checked> <span data-t="fleet.windowsOnly"></span></label>
      <div class="row">
        <button id="select-shown" type="button" class="secondary" data-t="fleet.selectShown"></button>
        <button id="select-none" type="button" class="secondary" data-t="fleet.selectNone"></button>
        <button id="reload" type="button" class="secondary" data-t="fleet.reload"></button>
      </div>
      <p id="counts" class="detail"></p>
      <div class="row">
        <button id="get" type="button" disabled></button>
        <button id="stop" type="button" class="secondary" data-t="fleet.stop" hidden></button>
        <button id="clear-all" type="button" class="danger" data-t="fleet.clearAll" hidden></button>
        <button id="close" type="button" class="secondary" data-t="fleet.close"></button>
      </div>
      <p id="summary" class="status" role="status" aria-live="polite" aria-atomic="true"></p>
    </section>
    <div class="table-wrap">
      <table id="table" aria-describedby="summary">
        <caption data-t="fleet.caption"></caption>
        <thead><tr>
          <th scope="col"><span class="visually-hidden" data-t="fleet.col.choose"></span></th>
          <th scope="col" data-t="fleet.col.server"></th>
          <th scope="col" data-t="fleet.col.keyPair"></th>
          <th scope="col" data-t="fleet.col.state"></th>
          <th scope="col" data-t="fleet.col.password"></th>
        </tr></thead>
        <tbody id="rows"></tbody>
      </table>
    </div>
  </div>
  <dialog id="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-text">
    <h3 id="confirm-title" data-t="fleet.clearAll.title"></h3>
    <p id="confirm-text"></p>
    <div class="row">
      <button id="confirm-ok" type="button" class="danger" data-t="fleet.clearAll.confirm"></button>
      <button id="confirm-cancel" type="button" class="secondary" data-t="clear.cancel"></button>
    </div>
  </dialog>
</section>`;
