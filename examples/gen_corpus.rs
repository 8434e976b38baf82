//! A deterministic corpus of drafts for benchmarks (issue 12):
//!
//! ```sh
//! cargo run --release --example gen_corpus -- DIR N        # N drafts in DIR
//! cargo run --release --example gen_corpus -- --big BYTES FILE  # one large draft
//! ```
//!
//! Each draft is 80–400 words and mixes what the built-in rules look for:
//! thanks, renewed interest, an account of what went wrong (brief or long,
//! sometimes melodramatic, exaggerated or begging), a reason to meet again,
//! a request, the reader's convenience, references, template placeholders,
//! greetings, sign-offs and subject lines, in varying combinations, so that
//! every rule passes on some drafts and fails on others. Even-numbered
//! files are Markdown (`.md`, some with front matter, emphasis, lists and
//! links), odd-numbered ones plain text (`.txt`). About a third use curly
//! quotes, em dashes and accented names.
//!
//! The same arguments always write the same bytes: the generator is a
//! fixed-seed SplitMix64, written out below (no dependency), and nothing
//! depends on time, locale or hashing order.

use std::fmt::Write as _;
use std::path::Path;

/// SplitMix64: small, fast, and good enough to pick phrases.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x005E_ED0F_E3A1_1E7E)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "Sam", "Priya", "Tom", "Aisha", "Daniel", "Mei", "Oliver", "Grace", "Kwame", "Hannah", "Luis",
    "Nadia", "Ravi", "Ellen", "Marcus", "Yuki",
];
const FIRST_ACCENTED: &[&str] = &[
    "José",
    "Zoë",
    "Renée",
    "François",
    "Łukasz",
    "Siobhán",
    "Björn",
    "Inês",
    "Çağla",
    "Mária",
    "Søren",
    "Noémie",
];
const SURNAME: &[&str] = &[
    "Park", "Okafor", "Lee", "Jones", "Patel", "Novak", "Fischer", "Brennan", "Haddad", "Moreau",
    "Tanaka", "Silva", "Walsh", "Kowalski",
];
const SURNAME_ACCENTED: &[&str] = &[
    "Müller",
    "Åström",
    "García",
    "Núñez",
    "Dvořák",
    "Ó Briain",
    "Lefèvre",
    "Gómez",
    "Søndergaard",
];
const TITLE: &[&str] = &["Ms.", "Mr.", "Dr.", "Mx.", "Ms", "Mr"];
const ROLE: &[&str] = &[
    "analyst",
    "operations analyst",
    "junior developer",
    "account manager",
    "data engineer",
    "marketing coordinator",
    "nurse practitioner",
    "project lead",
    "teaching assistant",
    "product designer",
    "sous chef",
    "customer success",
];
const POST: &[&str] = &["role", "position", "job", "post", "opening", "vacancy"];
const COMPANY: &[&str] = &[
    "Kobo",
    "Northwind",
    "Brightline",
    "Halden & Co",
    "Marigold Health",
    "Copperfield",
    "the council",
    "Lumen Labs",
];
const DAY: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "yesterday",
    "this morning",
    "last week",
];
const TOPIC: &[&str] = &[
    "SQL",
    "budgeting",
    "the case study",
    "stakeholder management",
    "my last project",
    "the scheduling exercise",
    "system design",
    "the sales role-play",
];
const VOUCHER: &[&str] = &[
    "manager",
    "supervisor",
    "mentor",
    "team leader",
    "professor",
    "former boss",
    "colleague",
    "director",
];

// Each template holds slots: {first} {surname} {role} {post} {company}
// {day} {topic} {voucher} {name}, and {q}…{/q} for quotes, {d} for a dash.

const GREETING: &[&str] = &[
    "Dear {title} {surname},",
    "Hi {first},",
    "Hello {first},",
    "Good afternoon {title} {surname},",
    "Dear {first} {surname},",
    "To whom it may concern,",
    "Hi there,",
    "Dear Hiring Manager,",
    "Dear [Name],",
];
const THANKS: &[&str] = &[
    "Thank you for meeting with me on {day} about the {role} {post}.",
    "Thanks for taking the time to talk with me {day}.",
    "Many thanks for the conversation on {day} {d} I enjoyed hearing about the team.",
    "I really appreciated the time you gave me on {day}.",
    "I'm grateful for the chance to interview for the {role} {post}.",
    "Thank you again for having me in to discuss the {post} at {company}.",
];
const INTEREST: &[&str] = &[
    "I remain very interested in the {role} {post}.",
    "I am still keen to join your team at {company}.",
    "I would love to be part of {company}, and the {post} is exactly the kind of work I want.",
    "I am excited about the {role} {post} and hope to contribute to your team.",
    "Working for {company} is something I still very much want.",
    "I'm eager to bring my experience to your team.",
];
const EXCUSE_SHORT: &[&str] = &[
    "I know my answers on {topic} were not as clear as they should have been.",
    "I was nervous and rushed my answer about {topic}.",
    "I stumbled over the question on {topic}, and I take responsibility for that.",
    "My explanation of {topic} came out muddled.",
];
const EXCUSE_LONG: &[&str] = &[
    "The night before, my train was cancelled, I barely slept, my laptop died on the way, and by the time I reached your office I had forgotten half of what I had prepared about {topic}, which is why I went blank when you asked me about it.",
    "I had been ill all week, my sister was moving house, I missed breakfast, and then the questions on {topic} threw me completely, so I rambled and never got to the point I wanted to make.",
];
const MELODRAMA: &[&str] = &[
    "Honestly, it was the worst day of my life and I have not stopped crying since.",
    "I am devastated and heartbroken about how it went.",
    "My whole world fell apart in that room.",
];
const EXAGGERATION: &[&str] = &[
    "I am the best candidate you will ever meet and I have never once been wrong about {topic}.",
    "I am absolutely perfect for this job, a hundred percent, without any doubt.",
    "Everyone agrees I am a genius at {topic}.",
];
const BEGGING: &[&str] = &[
    "Please, I am begging you, give me one more chance.",
    "I desperately need this job and I will do anything.",
    "Please don't say no {d} this means everything to me.",
];
const FIT: &[&str] = &[
    "My background in {topic} fits what you described for the team.",
    "My five years of experience with {topic} line up well with what the {post} needs.",
    "The work I did at my last company is close to what you described, and I think it would be a real asset.",
    "My skills in {topic} match the requirements you outlined.",
];
const REQUEST: &[&str] = &[
    "Would you be willing to meet again so I can show you what I can do?",
    "Could we arrange a second interview, or a short call?",
    "I would welcome another chance to talk through {topic} properly.",
    "Would a follow-up conversation be possible?",
    "If you are open to it, I would like another opportunity to meet.",
];
const CONVENIENCE: &[&str] = &[
    "I am happy to meet at your convenience.",
    "Whenever suits you is fine for me.",
    "I can fit around your schedule next week.",
    "Any time that works for you is good.",
];
const REFERENCES: &[&str] = &[
    "My current {voucher}, {name}, is happy to speak with you about my work.",
    "References are available on request.",
    "I would be glad to put you in touch with my {voucher}.",
    "You are welcome to contact my former {voucher} at {company}.",
    "I can send a letter of recommendation from my {voucher}.",
];
const APOLOGY: &[&str] = &[
    "I am sorry that I did not do myself justice.",
    "I apologise for the confusion in my answers.",
    "Sorry again for running over time.",
];
const CLOSING_THANKS: &[&str] = &[
    "Thank you for considering this.",
    "Thanks again for your time.",
    "I appreciate your consideration.",
    "Many thanks for reading this.",
];
const FILLER: &[&str] = &[
    "Since we spoke I have gone back over the material and written up a short summary of how I would approach it.",
    "In my current job I look after reporting for three regional teams and meet with each of them every week.",
    "Last year I led a small project that cut our turnaround time by a third.",
    "I have also been reading about the way {company} organises its teams, which I found really useful.",
    "On reflection, the question about {topic} deserved a structured answer: the context, what I did, and what changed.",
    "I spent the weekend rebuilding the example we discussed, and it now runs end to end.",
    "Outside work I volunteer at a local food bank, where I coordinate the Saturday shifts.",
    "The part of the conversation about training new starters stayed with me.",
    "I have attached the notes I made afterwards, in case they are useful.",
    "My colleagues would say I am calm under pressure, which is why my nerves on the day surprised me.",
    "I keep a log of the problems I solve each week, and {topic} comes up more often than anything else.",
    "We moved our whole reporting pipeline to a new system in the spring, and I wrote most of the migration plan.",
];
const PLACEHOLDER: &[&str] = &[
    "[Company Name]",
    "{{company}}",
    "<Company>",
    "[Your Name]",
    "{{role}}",
    "[date]",
];
const SIGN_OFF: &[&str] = &[
    "Best regards,",
    "Kind regards,",
    "Sincerely,",
    "Many thanks,",
    "Warm wishes,",
    "All the best,",
    "Cheers,",
];
const SUBJECT: &[&str] = &[
    "Following up on my interview",
    "Thank you, and a request",
    "{role} interview on {day}",
    "Another conversation?",
    "Re: {role} {post}",
];

/// The names and flavour of one draft.
struct Voice {
    first: &'static str,
    surname: &'static str,
    title: &'static str,
    sender: String,
    role: &'static str,
    post: &'static str,
    company: &'static str,
    unicode: bool,
}

impl Voice {
    fn new(rng: &mut Rng) -> Voice {
        let unicode = rng.chance(33);
        let (first, surname) = if unicode && rng.chance(60) {
            (rng.pick(FIRST_ACCENTED), rng.pick(SURNAME_ACCENTED))
        } else {
            (rng.pick(FIRST), rng.pick(SURNAME))
        };
        let sender = if unicode && rng.chance(50) {
            format!(
                "{} {}",
                rng.pick(FIRST_ACCENTED),
                rng.pick(SURNAME_ACCENTED)
            )
        } else {
            format!("{} {}", rng.pick(FIRST), rng.pick(SURNAME))
        };
        Voice {
            first,
            surname,
            title: rng.pick(TITLE),
            sender,
            role: rng.pick(ROLE),
            post: rng.pick(POST),
            company: rng.pick(COMPANY),
            unicode,
        }
    }

    /// `template` with its slots filled.
    fn fill(&self, rng: &mut Rng, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let after = &rest[i..];
            if after.starts_with("{{") {
                // A template placeholder, kept as it is.
                let end = after.find("}}").map_or(after.len(), |e| e + 2);
                out.push_str(&after[..end]);
                rest = &after[end..];
                continue;
            }
            let Some(end) = after.find('}') else {
                out.push_str(after);
                rest = "";
                break;
            };
            let slot = &after[1..end];
            match slot {
                "first" => out.push_str(self.first),
                "surname" => out.push_str(self.surname),
                "title" => out.push_str(self.title),
                "role" => out.push_str(self.role),
                "post" => out.push_str(self.post),
                "company" => out.push_str(self.company),
                "day" => out.push_str(rng.pick(DAY)),
                "topic" => out.push_str(rng.pick(TOPIC)),
                "voucher" => out.push_str(rng.pick(VOUCHER)),
                "name" => {
                    let pool = if self.unicode { FIRST_ACCENTED } else { FIRST };
                    let _ = write!(out, "{} {}", rng.pick(pool), rng.pick(SURNAME));
                }
                "d" => out.push_str(if self.unicode { "—" } else { "-" }),
                _ => out.push_str(&after[..=end]),
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        if self.unicode {
            // Curly apostrophes, and now and then a quoted phrase.
            out = out.replace('\'', "’");
            if rng.chance(15) {
                out.push_str(" As you put it, “the details matter.”");
            }
        }
        out
    }
}

/// Count the words of `s` (runs of non-space).
fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// One draft of about `target` words.
fn draft(rng: &mut Rng, markdown: bool, target: usize) -> String {
    let v = Voice::new(rng);
    let mut out = String::new();

    // Subject: front matter or a heading in Markdown, a line in text.
    if rng.chance(75) {
        let t = rng.pick(SUBJECT);
        let subject = v.fill(rng, t);
        if markdown && rng.chance(50) {
            let _ = writeln!(out, "---\nsubject: \"{}\"", subject.replace('"', "'"));
            if rng.chance(40) {
                // Sent 1 to 12 days after the interview.
                let day = 1 + rng.below(9);
                let _ = writeln!(out, "interview: 2026-03-0{day}");
                let _ = writeln!(out, "date: 2026-03-{:02}", day + 1 + rng.below(12));
            }
            out.push_str("---\n\n");
        } else {
            let _ = writeln!(out, "Subject: {subject}\n");
        }
    }
    if rng.chance(92) {
        let t = rng.pick(GREETING);
        let greeting = v.fill(rng, t);
        let _ = writeln!(out, "{greeting}\n");
    }

    // The body: the elements in a usual order, each present or not, with
    // filler between them until the target length is reached.
    let mut sentences: Vec<String> = Vec::new();
    let add = |rng: &mut Rng, pool: &[&str], percent: usize, sentences: &mut Vec<String>| {
        if rng.chance(percent) {
            let t = rng.pick(pool);
            sentences.push(v.fill(rng, t));
        }
    };
    add(rng, THANKS, 85, &mut sentences);
    add(rng, INTEREST, 80, &mut sentences);
    if rng.chance(80) {
        add(rng, EXCUSE_SHORT, 100, &mut sentences);
    } else {
        add(rng, EXCUSE_LONG, 100, &mut sentences);
    }
    add(rng, APOLOGY, 40, &mut sentences);
    add(rng, MELODRAMA, 12, &mut sentences);
    add(rng, EXAGGERATION, 12, &mut sentences);
    add(rng, BEGGING, 10, &mut sentences);
    add(rng, FIT, 70, &mut sentences);
    let body_start = sentences.len();
    add(rng, REQUEST, 85, &mut sentences);
    add(rng, CONVENIENCE, 55, &mut sentences);
    add(rng, REFERENCES, 60, &mut sentences);
    if rng.chance(10) {
        let p = rng.pick(PLACEHOLDER);
        sentences.push(format!("I am sure {p} is the right place for me."));
    }
    add(rng, CLOSING_THANKS, 70, &mut sentences);
    let mut count: usize = sentences.iter().map(|s| words(s)).sum();
    let mut at = body_start;
    while count < target {
        let t = rng.pick(FILLER);
        let s = v.fill(rng, t);
        if count + words(&s) > 400 {
            break;
        }
        count += words(&s);
        sentences.insert(at.min(sentences.len()), s);
        at = 1 + rng.below(sentences.len());
    }

    // Paragraphs of 2–4 sentences; in Markdown, some emphasis, a list or a link.
    let mut i = 0;
    while i < sentences.len() {
        let n = 2 + rng.below(3);
        let end = (i + n).min(sentences.len());
        if markdown && rng.chance(10) && end - i >= 2 {
            for s in &sentences[i..end] {
                let _ = writeln!(out, "- {s}");
            }
        } else {
            let mut para = sentences[i..end].join(" ");
            if markdown && rng.chance(25) {
                para = para.replacen("really", "*really*", 1);
                para = para.replacen(
                    v.company,
                    &format!("[{}](https://example.com/)", v.company),
                    1,
                );
            }
            if rng.chance(20) {
                // A hard-wrapped paragraph, as many mail clients write them.
                para = wrap(&para, 72);
            }
            out.push_str(&para);
            out.push('\n');
        }
        out.push('\n');
        i = end;
    }

    if rng.chance(88) {
        let _ = writeln!(out, "{}", rng.pick(SIGN_OFF));
        if rng.chance(6) {
            out.push_str("[Your Name]\n");
        } else {
            let _ = writeln!(out, "{}", v.sender);
        }
        if rng.chance(30) {
            let _ = writeln!(
                out,
                "{}@example.org",
                v.sender.split(' ').next().unwrap_or("me").to_lowercase()
            );
        }
    }
    out
}

/// Break `s` into lines of at most `width` bytes at spaces.
fn wrap(s: &str, width: usize) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / width + 1);
    let mut line = 0;
    for w in s.split(' ') {
        if line > 0 && line + 1 + w.len() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(w);
        line += w.len();
    }
    out
}

fn corpus(dir: &Path, n: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(12);
    let mut bytes = 0;
    for i in 0..n {
        let markdown = i % 2 == 0;
        // 80–400 words, shorter ones more often (mean about 200).
        let target = 80
            + if rng.chance(60) {
                rng.below(321)
            } else {
                rng.below(161)
            };
        let text = draft(&mut rng, markdown, target);
        let name = format!("draft-{i:05}.{}", if markdown { "md" } else { "txt" });
        bytes += text.len();
        std::fs::write(dir.join(name), text)?;
    }
    eprintln!("wrote {n} drafts, {bytes} bytes, to {}", dir.display());
    Ok(())
}

/// One draft of at least `size` bytes: a greeting, body paragraphs drawn
/// like the corpus's (long ones, with every element now and then), a
/// sign-off.
fn big(size: usize, path: &Path) -> std::io::Result<()> {
    let mut rng = Rng::new(50);
    let mut out = String::with_capacity(size + 4096);
    out.push_str("Subject: Following up on my interview\n\nDear Ms. Park,\n\n");
    while out.len() < size {
        let markdown = false;
        let d = draft(&mut rng, markdown, 300);
        // Keep only the body paragraphs of each generated draft.
        for para in d.split("\n\n") {
            let first = para.lines().next().unwrap_or("");
            let frame = first.starts_with("Subject:")
                || first.ends_with(',') && words(first) <= 6
                || SIGN_OFF.contains(&first)
                || para.trim().is_empty();
            if !frame {
                out.push_str(para.trim_end());
                out.push_str("\n\n");
            }
        }
    }
    out.push_str("Best regards,\nSam Lee\n");
    std::fs::write(path, &out)?;
    eprintln!("wrote {} bytes to {}", out.len(), path.display());
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: gen_corpus DIR N | gen_corpus --big BYTES FILE";
    let result = match args.as_slice() {
        [flag, bytes, file] if flag == "--big" => match bytes.parse() {
            Ok(b) => big(b, Path::new(file)),
            Err(_) => {
                eprintln!("{usage}");
                std::process::exit(2);
            }
        },
        [dir, n] => match n.parse() {
            Ok(n) => corpus(Path::new(dir), n),
            Err(_) => {
                eprintln!("{usage}");
                std::process::exit(2);
            }
        },
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}
