/**
 * Answers for the copied-answer detector, written by hand. For each question: the earlier
 * answer, four copies of it (verbatim; reformatted; identifiers renamed; partial, part of it
 * with a sentence of the copier's own) and two answers written independently to the same
 * question, which a detector must not flag.
 */
export interface AnswerSet {
  readonly question: string;
  readonly original: string;
  readonly copies: { readonly verbatim: string; readonly reformatted: string; readonly renamed: string; readonly partial: string };
  readonly independent: readonly string[];
}

const pinOriginal = `You cannot move a future after it has been polled, so store it pinned on the heap.
Use \`Pin<Box<dyn Future<Output = ()> + Send>>\` as the field type:

\`\`\`rust
struct Job {
    task: Pin<Box<dyn Future<Output = ()> + Send>>,
}
let job = Job { task: Box::pin(async move { run(config).await }) };
\`\`\`

Then poll it with \`job.task.as_mut().poll(cx)\`. If you only need it once, \`tokio::spawn\` is simpler.`;

const borrowOriginal = `The loop holds a mutable borrow of \`items\` while you push into it. Collect the new elements first and extend afterwards:

\`\`\`rust
let mut extra = Vec::new();
for item in items.iter() {
    if item.needs_copy() {
        extra.push(item.clone());
    }
}
items.extend(extra);
\`\`\`

Iterating by index (\`for i in 0..items.len()\`) also works, because the borrow ends at each index expression.`;

const corsOriginal = `The browser blocks the request because your API does not send the Access-Control-Allow-Origin header. Add the cors middleware before your routes:

\`\`\`js
const cors = require("cors");
app.use(cors({ origin: "http://localhost:3000", credentials: true }));
app.get("/api/users", listUsers);
\`\`\`

Do not use origin "*" together with credentials; the browser rejects that combination.`;

const mutableDefaultOriginal = `Default values are evaluated once, when the function is defined, so every call shares the same list. Use None as the default and create the list inside:

\`\`\`python
def add_item(item, items=None):
    if items is None:
        items = []
    items.append(item)
    return items
\`\`\`

Linters such as pylint warn about this as dangerous-default-value.`;

const goroutineOriginal = `Before Go 1.22 the loop variable is shared by every iteration, so the closures all see its last value. Pass it as an argument:

\`\`\`go
for _, url := range urls {
    wg.Add(1)
    go func(u string) {
        defer wg.Done()
        fetch(u)
    }(url)
}
wg.Wait()
\`\`\`

Or copy it inside the loop with url := url. Since Go 1.22 each iteration has its own variable.`;

const awaitLoopOriginal = `forEach ignores the promises your async callback returns, so nothing waits for them. Use a for...of loop to save one at a time:

\`\`\`js
for (const order of orders) {
  await saveOrder(order);
}
\`\`\`

or Promise.all to run them together: await Promise.all(orders.map((order) => saveOrder(order))). Promise.all rejects as soon as one save fails.`;

/** Changes layout only: line breaks, indentation, blank lines, spacing, capitals at line starts. */
function reformat(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => line.replace(/\s+/g, "  ").replace(/^([a-z])/, (c) => c.toUpperCase()))
    .join("\n\n");
}

export const ANSWER_SETS: readonly AnswerSet[] = [
  {
    question: "How do I store a future in a struct?",
    original: pinOriginal,
    copies: {
      verbatim: pinOriginal,
      reformatted: reformat(pinOriginal),
      renamed: pinOriginal.replace(/\bJob\b/g, "Worker").replace(/\btask\b/g, "fut").replace(/\bjob\b/g, "worker").replace(/\brun\(config\)/g, "execute(settings)"),
      partial: `I had the same problem last week. ${pinOriginal.slice(0, pinOriginal.indexOf("Then poll"))}That fixed it for me.`,
    },
    independent: [
      "Futures are !Unpin, so the struct needs to own them behind a pin. I use `futures::future::BoxFuture<'static, ()>` as the field type and create it with `.boxed()`; it is the same as a pinned box but shorter to write.",
      "If the struct lives on the stack you can use the pin_project crate: mark the field with #[pin] and project it in poll. That avoids the heap allocation that Box::pin costs, which matters in a hot loop.",
    ],
  },
  {
    question: "Cannot borrow as mutable more than once in a loop",
    original: borrowOriginal,
    copies: {
      verbatim: borrowOriginal,
      reformatted: reformat(borrowOriginal),
      renamed: borrowOriginal.replace(/\bitems\b/g, "entries").replace(/\bextra\b/g, "pending").replace(/\bitem\b/g, "entry").replace(/needs_copy/g, "should_dup"),
      partial: `${borrowOriginal.slice(0, borrowOriginal.indexOf("Iterating by index"))}This is what I do in my parser too.`,
    },
    independent: [
      "Use retain or drain_filter style APIs instead of pushing while iterating. Here you can build the duplicates with `let dups: Vec<_> = items.iter().filter(|x| x.needs_copy()).cloned().collect();` and then append them.",
      "The compiler is right: pushing may reallocate the vector and invalidate the iterator. Clone the list before the loop, iterate over the clone and push into the original.",
    ],
  },
  {
    question: "CORS error from my React app to Express",
    original: corsOriginal,
    copies: {
      verbatim: corsOriginal,
      reformatted: reformat(corsOriginal),
      renamed: corsOriginal.replace(/listUsers/g, "getAllUsers").replace(/\/api\/users/g, "/api/accounts").replace(/\bcors\b(?=\()/g, "corsMiddleware").replace(/const cors /, "const corsMiddleware "),
      partial: `Check your server. ${corsOriginal.slice(0, corsOriginal.indexOf("Do not use"))}`,
    },
    independent: [
      "In development you can avoid CORS entirely: add \"proxy\": \"http://localhost:4000\" to the React app's package.json and call fetch('/api/users') without the host, so the dev server forwards it.",
      "Set the header yourself in a small middleware: res.setHeader('Access-Control-Allow-Origin', req.headers.origin) and answer OPTIONS requests with 204, otherwise the preflight fails before your route runs.",
    ],
  },
  {
    question: "Python default list argument keeps old values",
    original: mutableDefaultOriginal,
    copies: {
      verbatim: mutableDefaultOriginal,
      reformatted: reformat(mutableDefaultOriginal),
      renamed: mutableDefaultOriginal.replace(/add_item/g, "append_value").replace(/\bitems\b/g, "values").replace(/\bitem\b/g, "value"),
      partial: `${mutableDefaultOriginal.slice(0, mutableDefaultOriginal.indexOf("Linters"))}Took me a day to find this one.`,
    },
    independent: [
      "The list is created when def runs, not per call. A sentinel object works if None is a valid argument for you: _missing = object(); def f(x, acc=_missing): acc = [] if acc is _missing else acc.",
      "Use a tuple as the default since it is immutable, and convert: def add(x, acc=()): return [*acc, x]. Returning a new list each time also makes the function easier to test.",
    ],
  },
  {
    question: "Goroutines in a loop print the same value",
    original: goroutineOriginal,
    copies: {
      verbatim: goroutineOriginal,
      reformatted: reformat(goroutineOriginal),
      renamed: goroutineOriginal.replace(/\burls\b/g, "links").replace(/\burl\b/g, "link").replace(/\bu\b/g, "l").replace(/\bfetch\b/g, "download").replace(/\bwg\b/g, "group"),
      partial: `Classic. ${goroutineOriginal.slice(0, goroutineOriginal.indexOf("Or copy"))}`,
    },
    independent: [
      "Upgrade to Go 1.22 or later and set go 1.22 in go.mod: the loop variable is then per iteration and your original code works unchanged.",
      "Use an errgroup: g, ctx := errgroup.WithContext(ctx); for each link call g.Go with a closure over a copy, then if err := g.Wait(); err != nil handle the first error. It also cancels the rest on failure.",
    ],
  },
  {
    question: "await inside forEach does not wait",
    original: awaitLoopOriginal,
    copies: {
      verbatim: awaitLoopOriginal,
      reformatted: reformat(awaitLoopOriginal),
      renamed: awaitLoopOriginal.replace(/\borders\b/g, "invoices").replace(/\border\b/g, "invoice").replace(/saveOrder/g, "storeInvoice"),
      partial: `${awaitLoopOriginal.slice(0, awaitLoopOriginal.indexOf("or Promise.all"))}That is all you need here.`,
    },
    independent: [
      "Array.prototype.forEach was designed before promises and discards return values. Use a plain for loop with an index, or reduce over a promise chain if you need the results in order.",
      "If the saves are independent, map them to promises and use Promise.allSettled so one failure does not hide the others; then log the rejected ones from the results array.",
    ],
  },
];
