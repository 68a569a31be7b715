"""The words of the Q Exchange demo data: hand-written parts that `exchange.demo` combines with a
fixed random seed into about 60 proposals, their comments and their updates.

Everything here is invented: the projects, the places (the directory demo's invented places) and
the people. Text is plain English about improving health and care in the UK."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Core:
    """One project idea, written once and placed in several invented places ("{place}")."""

    title: str
    summary: str
    problem: str
    aim: str
    people: str
    steps: tuple[str, ...]
    measure: str
    share: str
    topics: tuple[str, ...]
    contributions: tuple[str, ...]
    plan: tuple[str, ...]
    # Which theme the idea leans to: 0 across boundaries / communities, 1 inequalities / staff,
    # 2 data and digital (wrapped round the round's themes).
    lean: int


CORES = (
    Core(
        "Carer conversations before discharge in {place}",
        "Unpaid carers help plan a hospital discharge from the first day, not the last hour.",
        "In {place}, carers tell us they hear about a discharge on the morning it happens. "
        "People go home without the equipment or the support they need, and one in eight comes "
        "back within a month.",
        "Every carer of a patient on our two pilot wards is asked, within a day of admission, "
        "what they can and cannot do, and that answer shapes the discharge plan.",
        "Three carers from the local carers network have met the ward teams twice. They wrote "
        "the questions we will ask and chose the name of the conversation.",
        (
            "Test the carer conversation on one ward for six weeks",
            "Train discharge coordinators with the carers who wrote it",
            "Add the carer's answers to the discharge summary the GP receives",
            "Spread to a second ward once the measures are stable",
        ),
        "We will count readmissions within 30 days and ask carers, two weeks after discharge, "
        "whether they felt ready. We will plot both monthly on run charts.",
        "We will share our conversation guide and what went wrong on the Q forum, and host a "
        "visit for any member team who wants to see it on the ward.",
        ("Health and social care integration", "Patient experience", "Ageing and frailty"),
        (
            "Tell us how your hospital involves carers in discharge planning",
            "Help us test our carer questions: are they clear to someone under pressure?",
            "Join a call with our carers in the spring",
        ),
        (
            "Carer conversation tested on the first ward",
            "Discharge coordinators trained",
            "Carer answers added to the discharge summary",
            "Second ward starts",
            "Final report shared with Q members",
        ),
        0,
    ),
    Core(
        "Community pharmacy blood pressure checks in {place}",
        "Pharmacies in the neighbourhoods with the most undiagnosed high blood pressure offer "
        "walk-in checks, linked to the GP record.",
        "High blood pressure is often missed in the parts of {place} where people see a GP "
        "least. Strokes and heart attacks there happen younger than anywhere else in the area.",
        "We want 2,000 more people checked in a year, with anyone at risk seen by their practice "
        "within a fortnight.",
        "A residents' group, four pharmacists and two practice nurses planned this together at "
        "three evening meetings held in a community centre.",
        (
            "Agree a shared referral route between pharmacies and practices",
            "Run walk-in checks on market days and at the mosque and church halls",
            "Follow up everyone referred by phone after two weeks",
        ),
        "Checks done each week, share of people at risk seen within two weeks, and who we are "
        "reaching compared with the local population.",
        "A short guide for other areas, with our referral form and the costs, posted on Q.",
        ("Public health and prevention", "Equality and health inequalities", "Primary care"),
        (
            "Pharmacists: tell us what would make referral to a practice easier",
            "Share materials in community languages if you have them",
        ),
        (
            "Referral route agreed",
            "First walk-in sessions held",
            "Three-month review with residents",
            "Guide for other areas published",
        ),
        1,
    ),
    Core(
        "Safety huddles that spread beyond one ward in {place}",
        "Ten-minute daily huddles, started on one ward, tested on five more with the staff "
        "who run them.",
        "Our first huddle cut falls on one ward in {place} by a third, but attempts to copy it "
        "elsewhere faded within weeks. We do not know why it stuck in one place and not others.",
        "Huddles running every day on six wards a year from now, led by the ward teams, with "
        "falls and pressure ulcers both falling.",
        "Healthcare assistants and nurses from the first ward designed the huddle board. A "
        "patient safety partner joins the monthly review.",
        (
            "Interview staff on the wards where the huddle faded",
            "Adapt the huddle with each new ward in its first fortnight",
            "Pair each ward with a huddle buddy from the first ward",
            "Review together every month",
        ),
        "Days with a huddle, falls per 1,000 bed days, and a three-question staff survey each "
        "quarter.",
        "We will write up what made spread work, or not, and run an online session for members.",
        ("Patient safety", "Ageing and frailty", "Staff wellbeing"),
        (
            "Have you spread a huddle across a hospital? We would love a call",
            "Share your huddle board design",
            "Offer to be a critical friend at our three-month review",
        ),
        (
            "Interviews on the first wards finished",
            "Huddles start on wards two and three",
            "Huddles start on wards four to six",
            "Six-month review",
            "Write-up shared",
        ),
        1,
    ),
    Core(
        "Shared care plans for people with learning disabilities in {place}",
        "One plan, written with the person, that hospital, GP and care home staff can all read.",
        "People with learning disabilities in {place} repeat their story to every service. "
        "Important things, like how someone shows pain, are lost between hospital and home.",
        "A one-page plan for 150 people, held by them and readable by every service that "
        "supports them, updated after every hospital stay.",
        "Self-advocates from a local group are paid members of the team. They tested the "
        "first draft of the plan and threw out half of it.",
        (
            "Write the plan with self-advocates and families",
            "Agree with the hospital and GP practices where it is kept",
            "Offer it to people at annual health checks",
        ),
        "Plans in place, plans updated after a hospital stay, and what people and families say "
        "about their next admission.",
        "Our easy read plan and the story of how we made it, free for any area to use.",
        ("Learning disabilities and autism", "Health and social care integration"),
        (
            "Self-advocates: help us check the easy read version",
            "Tell us how your area shares plans between services",
        ),
        (
            "Plan written with self-advocates",
            "Agreement with hospital and practices",
            "First 50 plans in place",
            "150 plans in place",
        ),
        0,
    ),
    Core(
        "Speaking up for safety in maternity care in {place}",
        "Midwives, doctors and parents learn together how to raise a concern and be heard.",
        "Reviews of harm in maternity care keep finding the same thing: someone noticed, but "
        "did not feel able to say so. Staff in {place} told us the same in our own survey.",
        "Every member of the maternity team, and parents who want to, takes part in a "
        "half-day session, and concerns raised on shift are logged and answered.",
        "Parents from the maternity voices partnership co-designed the sessions and will "
        "co-facilitate them.",
        (
            "Co-design the half-day session with parents and staff",
            "Run sessions for every shift pattern, nights included",
            "Start a simple log of concerns raised and what happened next",
        ),
        "Staff survey scores on speaking up, concerns logged, and the time taken to answer them.",
        "Session plans and a short film, shared with Q members and the regional network.",
        ("Maternity care", "Patient safety", "Workforce development"),
        (
            "Share what has worked to help junior staff speak up",
            "Parents: tell us what would make it easier for you to raise a concern",
        ),
        (
            "Session designed with parents",
            "First sessions run",
            "Every shift pattern reached",
            "Concern log reviewed",
        ),
        1,
    ),
    Core(
        "A data dashboard that ward teams choose for themselves in {place}",
        "Ward teams pick the five measures they want to see, and get them every morning.",
        "Staff in {place} are sent dozens of reports they never open. The measures that would "
        "help them improve are in the system, but nobody has asked them what they need.",
        "Twelve ward teams looking at their own data every day and using it to test changes.",
        "Ward managers, two data analysts and a patient partner meet fortnightly. The first "
        "dashboard was drawn on a flipchart by night staff.",
        (
            "Ask each ward which five measures matter most to them",
            "Build a simple daily view with run charts, not tables",
            "Coach ward teams to read variation and spot real change",
        ),
        "How often dashboards are opened, changes tested by ward teams, and the measures "
        "themselves.",
        "Our code and the coaching guide, openly licensed, with a member webinar.",
        ("Research and evaluation", "Patient safety"),
        (
            "Analysts: review our run chart rules",
            "Share a dashboard your frontline staff actually use",
        ),
        (
            "Measures chosen by the first wards",
            "Daily view live on four wards",
            "Coaching for twelve ward teams",
            "Code and guide published",
        ),
        2,
    ),
    Core(
        "Peer support after a mental health crisis in {place}",
        "People with lived experience meet others in the week after they leave crisis care.",
        "The week after leaving crisis care is the riskiest. In {place}, people wait on average "
        "three weeks for a follow-up, and many tell us they felt alone.",
        "Everyone leaving the crisis house is offered a peer supporter within 72 hours, "
        "for up to six weeks.",
        "The idea came from people who use the service. Four peer supporters are already "
        "trained; two sit on our steering group.",
        (
            "Recruit and train six more peer supporters",
            "Agree how the crisis team passes on a referral, with consent",
            "Offer weekly walking groups as well as one-to-one meetings",
        ),
        "Contact within 72 hours, returns to crisis care within three months, and wellbeing "
        "scores people choose to share.",
        "We will host a visit and publish our peer supporter training outline.",
        ("Mental health", "Patient experience", "Equality and health inequalities"),
        (
            "Have you run peer support alongside crisis services? Tell us what to avoid",
            "Offer supervision for our peer supporters",
        ),
        (
            "Six new peer supporters trained",
            "Referral route agreed with the crisis team",
            "Walking groups start",
            "Three-month review",
        ),
        0,
    ),
    Core(
        "Fewer missed appointments for young people in {place}",
        "Young people choose how and when they are reminded, and can rebook by text.",
        "One in four appointments for young people at our clinics in {place} is missed. Letters "
        "go to the family home and reminders arrive the day before, at school time.",
        "Halve missed appointments in two clinics, and make rebooking take one text.",
        "A youth panel of eight people aged 14 to 24 designed the reminders and tested them "
        "on their own phones.",
        (
            "Ask young people which reminders they would read",
            "Test text reminders with a rebook link in one clinic",
            "Extend to the second clinic with what we learn",
        ),
        "Missed appointment rate each week, rebookings made by text, and the youth panel's "
        "verdict.",
        "Our message wording and the youth panel's advice, shared on Q.",
        ("Children and young people", "Patient experience"),
        (
            "Share wording that worked for your young patients",
            "Tell us about information governance hurdles you cleared",
        ),
        (
            "Youth panel workshops",
            "Text reminders tested in the first clinic",
            "Second clinic starts",
            "Results shared",
        ),
        2,
    ),
    Core(
        "Improvement skills for care home staff in {place}",
        "A ten-week course, taught in the home, for carers who never get offered improvement "
        "training.",
        "Improvement training in {place} reaches NHS staff but almost never care home staff, "
        "who look after some of the frailest people in the area.",
        "Forty care home staff from eight homes each test one change that matters to residents.",
        "Care home managers asked for this. Two senior carers helped cut the course down to "
        "what fits a shift.",
        (
            "Teach in the homes, in one-hour sessions at handover",
            "Each home picks one change that matters to residents",
            "Celebrate the changes at a shared event with families",
        ),
        "Changes tested, staff confidence before and after, and the measure each home chose.",
        "The course materials, free to use, and a short film made by the carers.",
        ("Social care", "Workforce development", "Ageing and frailty"),
        (
            "Offer to coach a care home team for an hour a month",
            "Share improvement training written for care staff",
        ),
        (
            "Course adapted with senior carers",
            "First homes start",
            "All eight homes taking part",
            "Shared celebration event",
        ),
        1,
    ),
    Core(
        "Warm homes on prescription in {place}",
        "GPs and the council help people whose health suffers in a cold home get it heated.",
        "Cold, damp homes in {place} make breathing problems worse. GPs see the same people "
        "every winter, but nobody joins up the health problem with the housing one.",
        "150 households with someone at risk get insulation or heating help before winter.",
        "The council's housing team, two practices and a tenants' association built the "
        "referral form together.",
        (
            "Agree who is eligible and how practices refer",
            "Visit each home with the council's energy adviser",
            "Follow up with the practice after the winter",
        ),
        "Households helped, GP visits for breathing problems over winter, and what people say "
        "about their home.",
        "A case study and our referral form, shared with Q and the regional network.",
        ("Public health and prevention", "Environmental sustainability", "Long-term conditions"),
        (
            "Councils: tell us how you fund home improvements for health",
            "Share evaluations of similar schemes",
        ),
        (
            "Eligibility and referral agreed",
            "First home visits",
            "150 homes visited",
            "Winter follow-up",
        ),
        0,
    ),
    Core(
        "Medicines reviews at home for people taking many medicines in {place}",
        "Pharmacists visit people on ten or more medicines, with their family, at home.",
        "Many older people in {place} take ten or more medicines. Some interact, some are no "
        "longer needed, and reviews in a ten-minute appointment rarely get to the bottom of it.",
        "200 home reviews in a year, each agreeing changes with the person and their GP.",
        "Pharmacists and a group of older people from a lunch club designed the visit: what "
        "to bring, who to invite, how long it takes.",
        (
            "Find people on ten or more medicines with practice searches",
            "Visit at home, with family if the person wishes",
            "Agree changes with the GP within a week",
        ),
        "Medicines stopped or changed, falls and admissions, and what people say about the visit.",
        "Our visit checklist and the search we used, on the Q forum.",
        ("Medicines safety", "Ageing and frailty", "Primary care"),
        (
            "Pharmacists: share your home visit checklist",
            "Tell us how you measure the effect of deprescribing",
        ),
        (
            "Practice searches run",
            "First home reviews",
            "100 reviews done",
            "200 reviews done and report",
        ),
        1,
    ),
    Core(
        "Listening to people who do not fill in surveys in {place}",
        "Community researchers gather views on local services from people who are rarely asked.",
        "Our patient surveys in {place} are answered mostly by people who are older, white and "
        "own their homes. We hear little from the people services serve worst.",
        "Ten paid community researchers hold 200 conversations, and services act on what they "
        "hear.",
        "Community organisations nominated the researchers, who chose the questions themselves.",
        (
            "Recruit and pay ten community researchers",
            "Hold conversations in places people already go",
            "Bring service leads to hear the findings first-hand",
        ),
        "Conversations held, who we reached, and changes services make in response.",
        "We will publish the findings with the researchers, in the words people used.",
        ("Equality and health inequalities", "Patient experience", "Population health"),
        (
            "Share how you pay community researchers fairly",
            "Come to our findings event",
        ),
        (
            "Researchers recruited and trained",
            "Conversations under way",
            "Findings event",
            "Changes reviewed with services",
        ),
        1,
    ),
    Core(
        "Faster help for people with sepsis arriving by ambulance in {place}",
        "Paramedics start the sepsis screen in the ambulance and hand it over at the door.",
        "In {place}, people with sepsis wait too long for antibiotics after they reach hospital, "
        "because screening starts again at the emergency department.",
        "Antibiotics within an hour of arrival for nine in ten people with suspected sepsis.",
        "Paramedics, emergency department nurses and a family who lost someone to sepsis "
        "designed the shared screen together.",
        (
            "Agree one screening tool for ambulance and hospital",
            "Test the handover on the busiest shifts",
            "Review every missed case together each month",
        ),
        "Time from arrival to antibiotics, screens completed in the ambulance, and monthly case "
        "reviews.",
        "Our shared tool and review method, shared with ambulance services across the UK.",
        ("Sepsis", "Urgent and emergency care", "Patient safety"),
        (
            "Ambulance staff: tell us how your handovers work",
            "Share your sepsis case review template",
        ),
        (
            "Shared screening tool agreed",
            "Handover tested",
            "Monthly reviews running",
            "Results shared",
        ),
        0,
    ),
    Core(
        "Kinder rotas, designed with the staff who work them, in {place}",
        "Nurses help design their own rotas, and we measure whether wellbeing and retention "
        "improve.",
        "Nurses leaving our wards in {place} tell us that rotas, not pay, are why they go. They "
        "get their shifts late and have little say in them.",
        "Rotas out six weeks ahead, with every nurse able to ask for the shifts they need.",
        "Nurses from three wards and the rota team met every week for two months to shape this.",
        (
            "Publish rotas six weeks ahead on three wards",
            "Let nurses swap shifts through a simple request board",
            "Review fairness with staff every month",
        ),
        "Rota publication dates, staff turnover, sickness absence, and a short wellbeing survey.",
        "A write-up for Q members and a session at the regional nursing conference.",
        ("Staff wellbeing", "Workforce development"),
        (
            "Tell us what rota rules work in your hospital",
            "Share wellbeing measures you trust",
        ),
        (
            "Rota rules agreed with staff",
            "Three wards publish six weeks ahead",
            "Request board live",
            "Six-month review",
        ),
        1,
    ),
    Core(
        "Text message support for people with diabetes in {place}",
        "Weekly texts with tips and a number to call, in the languages people speak at home.",
        "Many people with type 2 diabetes in {place} find it hard to get to education sessions, "
        "and those in English do not reach everyone.",
        "500 people get weekly texts in their own language, and blood sugar control improves.",
        "Community health champions translated and tested every message with people with diabetes.",
        (
            "Write messages with people with diabetes",
            "Translate and test in five languages",
            "Offer texts through every practice in the area",
        ),
        "People signed up, HbA1c at six months, and people calling the number for help.",
        "All messages, in every language, free to reuse.",
        ("Long-term conditions", "Self-management", "Equality and health inequalities"),
        (
            "Help translate our messages",
            "Share evidence on text support you found useful",
        ),
        (
            "Messages written and tested",
            "Translations checked",
            "Texts offered through all practices",
            "Six-month results",
        ),
        2,
    ),
    Core(
        "Greener inhalers, better breathing in {place}",
        "Practices review inhalers with patients, switching where it helps them and the planet.",
        "Inhalers are a large part of the carbon our practices in {place} produce, and many "
        "patients are not using theirs in the way that helps them most.",
        "Every patient with asthma in six practices offered a review of their inhaler and how "
        "they use it.",
        "Pharmacists, practice nurses and patients with asthma wrote the review script together.",
        (
            "Train practice teams in inhaler reviews",
            "Invite patients, starting with those using the most relievers",
            "Share results across practices each month",
        ),
        "Reviews done, switches made, reliever use, and carbon saved.",
        "Our review script and carbon calculator, shared on Q.",
        ("Environmental sustainability", "Long-term conditions", "Primary care"),
        (
            "Share your inhaler review script",
            "Tell us how you counted the carbon saved",
        ),
        (
            "Practice teams trained",
            "First reviews",
            "All six practices running reviews",
            "Carbon and outcomes report",
        ),
        2,
    ),
    Core(
        "A single front door for people who keep coming to the emergency department in {place}",
        "A small team helps people who come to the emergency department very often get what they "
        "need elsewhere.",
        "A small number of people in {place} come to the emergency department more than twenty "
        "times a year. Most are lonely, in pain or in crisis, and none of it is solved there.",
        "A named worker for each of the 40 most frequent attenders, and half as many visits.",
        "People who used to attend often helped us design the first conversation.",
        (
            "Identify the people, with their consent, and offer a named worker",
            "Bring together the services already involved in their care",
            "Review each plan monthly with the person",
        ),
        "Attendances, admissions and what people tell us about their lives.",
        "Case stories, with consent, and our approach, shared on Q.",
        ("Urgent and emergency care", "Mental health", "Health and social care integration"),
        (
            "Have you set up a high intensity use service? Tell us what you learnt",
            "Share how you measured it",
        ),
        (
            "Named workers recruited",
            "First people offered support",
            "Monthly reviews running",
            "Year one review",
        ),
        0,
    ),
    Core(
        "Help to stop smoking on the maternity ward in {place}",
        "Every pregnant smoker is offered support on the day of their first scan.",
        "Smoking in pregnancy in {place} is twice the national average. Support is offered by "
        "referral, and most referrals are never taken up.",
        "Support offered in person at the first scan, and a quit rate twice what it is now.",
        "Midwives, a stop smoking adviser and mothers who quit in pregnancy designed the offer.",
        (
            "Place a stop smoking adviser in the scan clinic",
            "Offer carbon monoxide testing to everyone",
            "Follow up by phone every week",
        ),
        "Women offered support, quit rates at 36 weeks, and what women say about the offer.",
        "Our approach and costs, shared with Q members.",
        ("Maternity care", "Public health and prevention"),
        (
            "Share how you made stop smoking support part of maternity care",
            "Mothers: tell us what would have helped you",
        ),
        (
            "Adviser in the scan clinic",
            "Testing offered to everyone",
            "Three-month review",
            "Quit rates reported",
        ),
        1,
    ),
    Core(
        "Video consultations that work for people with sight loss in {place}",
        "We test remote appointments with blind and partially sighted people and fix what does "
        "not work.",
        "Video appointments in {place} were set up quickly, and nobody checked they worked for "
        "people with sight loss. Many now avoid them.",
        "Remote appointments that blind and partially sighted people can join on their own.",
        "A local sight loss charity and its members tested every step, from the invitation to "
        "the end of the call.",
        (
            "Test the current process with members of the charity",
            "Fix the invitation, the link and the call screen",
            "Test again and write guidance for clinics",
        ),
        "People able to join on their own, and their satisfaction, before and after.",
        "Accessibility guidance for remote appointments, shared widely.",
        ("Patient experience", "Equality and health inequalities"),
        (
            "Share accessibility testing you have done",
            "Tell us which video platform works best for screen readers",
        ),
        (
            "First tests with charity members",
            "Fixes made",
            "Second round of tests",
            "Guidance published",
        ),
        2,
    ),
    Core(
        "Learning from what goes well on night shifts in {place}",
        "We study ordinary nights that went well, not only incidents, and share what we learn.",
        "Most of what we learn about safety in {place} comes from incidents. Nights that go well, "
        "despite staff shortages and rising demand, teach us nothing because nobody asks.",
        "A monthly learning review of a good night on each of six wards, with one change tested "
        "each month.",
        "Night staff asked for this. They lead the reviews; managers join to listen.",
        (
            "Train night staff to run a short learning review",
            "Hold one review a month on each ward",
            "Test one change a month from what we learn",
        ),
        "Reviews held, changes tested, and staff views on whether they are listened to.",
        "Our review guide, with examples, shared on Q.",
        ("Patient safety", "Staff wellbeing"),
        (
            "Share your experience of Safety-II reviews",
            "Night staff: tell us what makes a good night",
        ),
        (
            "Night staff trained",
            "First reviews",
            "Reviews on all six wards",
            "Review guide published",
        ),
        1,
    ),
)

# Extra words for each section, chosen at random, so answers built on the same idea differ.
PROBLEM_OPENERS = (
    "We started with a question from the people affected.",
    "This came out of a conversation at a Q regional event.",
    "Our own data made the problem hard to ignore.",
    "Staff raised this with us again and again.",
)
AIM_CLOSERS = (
    "If it works, we want other areas to be able to copy it without us.",
    "We will only call it a success if the people it is for say so.",
    "We have set ourselves a target, but learning what works matters more.",
)
MEASURE_CLOSERS = (
    "We will review the charts each month with the whole team, including patients.",
    "A university partner will help us make sense of the results.",
    "We will share the charts on our page as we go.",
)
SHARE_CLOSERS = (
    "Any Q member is welcome to visit.",
    "We will post progress updates on this page every few months.",
    "We will tell you what did not work as well as what did.",
)

ROLE_LINES = (
    "Patient partner",
    "Carer representative",
    "Clinical lead",
    "Project manager",
    "Data analyst",
    "Lived experience adviser",
    "Improvement coach",
    "Community development worker",
    "Practice nurse",
    "Evaluation adviser",
)
NAMED_PEOPLE = (
    "Ffion Baxendale",
    "Rukhsana Merali",
    "Dougal Fairweather",
    "Ines Achterberg",
    "Tobias Wren",
    "Adaeze Ilori",
    "Marguerite Foley",
    "Kwame Asante-Boyd",
    "Oonagh Delaney",
    "Piotr Zawadzki",
    "Leonie Castellan",
    "Bashir Haddad",
)

MEMBER_COMMENTS = (
    "How will you keep this going when the funding ends? We found the second year harder than "
    "the first.",
    "We tried something similar in {other}. The biggest lesson was to involve the night staff "
    "from the start. Happy to talk.",
    "Have you thought about how you will measure the effect on people who do not take part?",
    "This is a great idea. I'd suggest speaking to your local authority's public health team "
    "early: they may already hold some of the data you need.",
    "I can offer a couple of hours of run chart coaching if that would help.",
    "Who will own the change once the project team steps back?",
    "Lovely to see people with lived experience on the team from day one.",
    "Could you say more about the costs? It would help to see what the money pays for.",
    "Is there a plan for what happens if the first test does not work?",
    "We have a similar problem in {other}. I'll be following this closely.",
)
GUEST_COMMENTS = (
    "As a carer myself, this would have made a real difference to us last winter.",
    "I'm not a health professional, but I'd be happy to help test this as a member of the public.",
    "Will the materials be available in other languages?",
)
TEAM_REPLIES = (
    "Thank you, that's a really useful question. We've set aside time in the last three "
    "months to hand the work over to the ward teams.",
    "Thanks for the offer! We'll be in touch through the directory.",
    "Good point. We've added this to our plan and will report back in our updates.",
    "We've budgeted about half for staff time and half for training. We'll add a breakdown to "
    "the proposal.",
    "Yes, that's the plan. We're meeting them next week.",
)
OTHER_REPLIES = (
    "Agreed, this is where most projects struggle.",
    "Same experience here. Involving people early made all the difference.",
    "I'd be interested to hear the answer to this too.",
)

UPDATE_TEXTS = (
    (
        "We have started",
        "We held our first meetings this month and agreed our measures with the team. "
        "The first test starts next week.\n\n**What we need:** a critical friend for our "
        "three-month review.",
    ),
    (
        "First results",
        "The first run chart shows a shift in the right direction, though it is early days. "
        "Staff say the change takes less time than they feared.\n\n- Tests run: 6\n- People "
        "involved: 48",
    ),
    (
        "What did not work",
        "Our second test did not work: the form was too long for a busy shift. We cut it to "
        "four questions and tried again. Thank you to everyone who commented with ideas.",
    ),
)
MOVED_REASONS = (
    "Recruitment took longer than planned.",
    "We waited for the ward refurbishment to finish.",
)
DROPPED_REASONS = (
    "The team decided the first test answered this question, so a second one was not needed.",
)

HIDDEN_COMMENT = (
    "Another vanity project. Whoever wrote this has clearly never worked a real shift in their "
    "life."
)
HIDDEN_REASON = (
    "Hidden because it attacks the team rather than discussing the idea. Please keep comments "
    "about the work."
)
ADVERT_COMMENT = (
    "Our company sells a scheduling app that does all of this already. Message me for a "
    "discount code."
)
REPORT_REASON = "This looks like advertising, not a comment on the proposal."
ABUSE_REPORT_REASON = "This is a personal attack on the team."
