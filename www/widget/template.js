// The shadow DOM of <ecs-password>: its structure, ids and data-t keys are the element's contract
// with hosts and tests (docs/widget.md). Texts are filled in from the catalogues (../i18n/).
export const TEMPLATE = `
<section class="ecs" part="root" aria-labelledby="title">
  <h2 id="title" class="title"></h2>
  <p id="idle" class="notice"></p>
  <p id="live" class="status" role="status" aria-live="polite"></p>
  <div id="alert" class="alert" role="alert" tabindex="-1" hidden><p id="alert-text"></p><p id="alert-detail" class="detail"></p></div>
  <div id="body" hidden>
    <section id="server-section" class="card" aria-labelledby="server-h">
      <h3 id="server-h" data-t="server.heading"></h3>
      <dl id="server-facts" class="facts"></dl>
      <p id="server-note" class="notice" hidden></p>
    </section>
    <section id="access-section" class="card" aria-labelledby="access-h">
      <h3 id="access-h" data-t="access.heading"></h3>
      <ul id="access-list" class="access"></ul>
      <p id="family-note" class="detail"></p>
    </section>
    <section id="key-section" class="card" aria-labelledby="key-h">
      <h3 id="key-h" data-t="key.heading"></h3>
      <div id="hosted" class="hosted" hidden>
        <p id="hosted-text"></p>
        <p id="hosted-access" class="detail"></p>
        <button id="use-hosted" type="button" class="secondary" data-t="hosted.use" aria-describedby="hosted-text hosted-access"></button>
      </div>
      <div id="drop" class="drop">
        <label for="key-file" data-t="key.drop"></label>
        <input id="key-file" type="file" data-t-label="key.file">
      </div>
      <label for="key-text" data-t="key.paste"></label>
      <textarea id="key-text" rows="4" spellcheck="false" autocomplete="off" autocapitalize="off" placeholder="-----BEGIN RSA PRIVATE KEY-----"></textarea>
      <button id="use-pasted" type="button" class="secondary" data-t="key.usePasted"></button>
      <div id="passphrase-box" hidden>
        <p id="passphrase-help" data-t="key.passphraseNeeded"></p>
        <label for="passphrase" data-t="key.passphrase"></label>
        <div class="row"><input id="passphrase" type="password" autocomplete="off" aria-describedby="passphrase-help">
        <button id="unlock" type="button" data-t="key.unlock"></button></div>
      </div>
      <p id="key-progress" class="progress" hidden><progress></progress> <span id="key-progress-text"></span></p>
      <div id="key-facts" hidden>
        <p id="key-summary"></p>
        <p class="detail"><span data-t="key.fingerprint"></span>: <code id="key-fp"></code></p>
        <p id="key-match"></p>
        <button id="forget-key" type="button" class="secondary" data-t="key.forget"></button>
      </div>
    </section>
    <section id="actions" class="card actions" aria-label="actions">
      <div class="row">
        <button id="get" type="button" data-t="get.button" disabled></button>
        <button id="get-anyway" type="button" class="secondary" data-t="get.anyway" hidden></button>
        <button id="clear" type="button" class="danger" data-t="clear.button" hidden></button>
      </div>
      <p id="wait" class="wait" hidden><span id="wait-text"></span> <button id="cancel" type="button" class="secondary" data-t="get.cancel"></button></p>
    </section>
    <section id="result" class="card result" aria-labelledby="result-h" hidden>
      <h3 id="result-h" data-t="result.heading"></h3>
      <p><output id="password" class="password" data-state="hidden"></output></p>
      <div class="row">
        <button id="reveal" type="button" aria-pressed="false" aria-controls="password"></button>
        <button id="copy" type="button" class="secondary" data-t="result.copy"></button>
        <button id="close" type="button" class="secondary" data-t="result.close"></button>
      </div>
    </section>
    <section id="reset-section" class="card" aria-labelledby="reset-h" hidden>
      <h3 id="reset-h" data-t="reset.heading"></h3>
      <p id="reset-note" class="notice" hidden></p>
      <form id="reset-form" novalidate hidden>
        <label for="new-password" data-t="reset.new"></label>
        <div class="row">
          <input id="new-password" type="password" autocomplete="new-password" spellcheck="false" aria-describedby="rules">
          <button id="generate" type="button" class="secondary" data-t="reset.generate"></button>
        </div>
        <label class="inline"><input id="show-new" type="checkbox"> <span data-t="reset.showNew"></span></label>
        <div id="rules" class="rules" aria-live="polite"></div>
        <button id="reset-submit" type="submit" class="danger" data-t="reset.submit"></button>
      </form>
    </section>
  </div>
  <dialog id="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-text">
    <h3 id="confirm-title"></h3>
    <p id="confirm-text"></p>
    <div class="row">
      <button id="confirm-ok" type="button" class="danger"></button>
      <button id="confirm-cancel" type="button" class="secondary" data-t="clear.cancel"></button>
    </div>
  </dialog>
</section>`;
