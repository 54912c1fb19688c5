using System.Security.Cryptography;
using System.Text;
using KneeClinic.Core;
using KneeClinic.Core.Audit;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Data;
using KneeClinic.Core.FollowUp;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Staff;
using KneeClinic.Web.Features.Consents;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace KneeClinic.Web.Infrastructure;

/// <summary>What <see cref="DemoGenerator"/> wrote.</summary>
public sealed record GeneratedDemo(int Patients, int Cases, int Seed, TimeSpan Took);

/// <summary>
/// Fictional patients in bulk, for trying the app at the size of a clinic network: names from several languages, MRNs,
/// dates of birth, phones, and about two cases each, at every stage of the pathway, assigned across a handful of
/// clinicians. Every case is walked through the domain's own rules (<see cref="DemoPathway"/>) on a stopped clock.
/// The same seed gives the same data, except what the domain draws from its own random source as a record is made: ids,
/// versions and product codes.
/// <para>
/// Written in batches, each in a fresh context with its own transaction, so the change tracker never holds more than a
/// batch. The rows are not audited one by one: they are fiction made by the app, every one of them follows from the
/// seed, and an entry per row would more than double the database and the time. One audit event records the run
/// (how many patients, which seed), which is what a reader of the trail needs to know.
/// </para>
/// </summary>
public sealed class DemoGenerator(IServiceProvider services, string? clinicianPassword = null)
{
    public const int BatchSize = 500;
    public const string ClinicianDomain = "seed.kneeclinic.test";

    private static readonly string[] ClinicianNames =
    [
        "Dr Amara Nwosu", "Dr Lukas Brandt", "Dr Sofía Márquez", "Dr Kenji Watanabe", "Dr Élodie Marchand", "Dr Priya Raman",
    ];

    /// <summary>Given and family names by language, written as their speakers write them.</summary>
    private static readonly (string[] Female, string[] Male, string[] Family)[] Names =
    [
        (["Olivia", "Emily", "Grace", "Charlotte", "Hannah"], ["James", "Oliver", "Thomas", "George", "Samuel"], ["Smith", "Taylor", "O'Brien", "Walker", "Hughes"]),
        (["María", "Lucía", "Carmen", "Inés", "Begoña"], ["José", "Andrés", "Jesús", "Íñigo", "Martín"], ["García", "Fernández", "Muñoz", "Peña", "Ibáñez"]),
        (["Chloé", "Amélie", "Hélène", "Zoé", "Maëlle"], ["François", "Jérôme", "Loïc", "Benoît", "Gaël"], ["Lefèvre", "Dubois", "Girard", "Bécaud", "Thévenot"]),
        (["Jürgen", "Käthe", "Anneliese", "Lüise", "Jördis"], ["Jörg", "Björn", "Günter", "Matthäus", "Lutz"], ["Müller", "Schäfer", "Groß", "Köhler", "Weiß"]),
        (["Małgorzata", "Zofia", "Agnieszka", "Jolanta", "Łucja"], ["Paweł", "Łukasz", "Wojciech", "Michał", "Zbigniew"], ["Wiśniewski", "Kowalczyk", "Żak", "Dąbrowski", "Szymański"]),
        (["Ana", "Conceição", "Joana", "Lúcia", "Mônica"], ["João", "Gonçalo", "Antônio", "Sebastião", "Rui"], ["Gonçalves", "Araújo", "Simões", "Magalhães", "Conceição"]),
        (["Ayşe", "Elif", "Gül", "Şule", "Özge"], ["Mehmet", "Çağan", "Ömer", "İsmail", "Barış"], ["Yılmaz", "Öztürk", "Şahin", "Çelik", "Doğan"]),
        (["Ingrid", "Åsa", "Sigrid", "Ingebjørg", "Märta"], ["Søren", "Åke", "Øystein", "Bjørn", "Håkon"], ["Sørensen", "Åberg", "Lindqvist", "Ødegård", "Ström"]),
        (["Nguyễn Thị", "Lan", "Thảo", "Hương", "Mai"], ["Minh", "Quốc", "Đức", "Tuấn", "Hải"], ["Nguyễn", "Trần", "Lê", "Phạm", "Đặng"]),
        (["Eva", "Zuzana", "Kateřina", "Věra", "Jiřina"], ["Jiří", "Tomáš", "Lubomír", "Přemysl", "Radek"], ["Dvořák", "Černý", "Procházka", "Kučera", "Růžička"]),
        (["Αικατερίνη", "Ελένη", "Σοφία", "Μαρία", "Δήμητρα"], ["Γιώργος", "Νίκος", "Κώστας", "Δημήτρης", "Γιάννης"], ["Παπαδόπουλος", "Οικονόμου", "Γεωργίου", "Νικολάου", "Βλάχος"]),
        (["Анна", "Ольга", "Наталья", "Елена", "Ирина"], ["Иван", "Сергей", "Андрей", "Дмитрий", "Алексей"], ["Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов"]),
        (["Aoife", "Siobhán", "Niamh", "Clodagh", "Róisín"], ["Seán", "Pádraig", "Ciarán", "Eoin", "Diarmuid"], ["Ó Súilleabháin", "Mac Giolla", "Ní Bhriain", "Ó Ceallaigh", "Breathnach"]),
    ];

    private static readonly string[] NotEligibleReasons =
    [
        "Joint-space loss too advanced (KL 4): referred for an arthroplasty opinion.",
        "Symptoms settled with physiotherapy; no procedure needed for now.",
        "Anticoagulation cannot be paused safely.",
        "Patient declined further work-up after the discussion.",
    ];

    private static readonly string[] CloseReasons =
    [
        "Patient moved away; care transferred.", "Patient withdrew from the pathway.", "Referred for knee replacement.",
        "Lost to follow-up after three attempts to reach the patient.",
    ];

    private static readonly CaseStage[] Targets =
    [
        // Weighted: the open stages a dashboard shows, most cases in follow-up, many completed or closed.
        .. Enumerable.Repeat(CaseStage.Screening, 7), .. Enumerable.Repeat(CaseStage.NotEligible, 6), .. Enumerable.Repeat(CaseStage.Eligible, 13),
        .. Enumerable.Repeat(CaseStage.Consented, 6), .. Enumerable.Repeat(CaseStage.ProductObtained, 4), .. Enumerable.Repeat(CaseStage.ProductReleased, 4),
        .. Enumerable.Repeat(CaseStage.Injected, 4), .. Enumerable.Repeat(CaseStage.FollowUp, 26), .. Enumerable.Repeat(CaseStage.Completed, 18),
        .. Enumerable.Repeat(CaseStage.Closed, 12),
    ];

    private readonly ClinicClock _today = services.GetRequiredService<ClinicClock>();
    private readonly ClinicOptions _clinic = services.GetRequiredService<IOptions<ClinicOptions>>().Value;

    /// <summary>Whether the database already holds patients (the generator adds to those only when asked).</summary>
    public async Task<bool> HasPatientsAsync()
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ClinicDbContext>().Patients.AnyAsync();
    }

    public async Task<GeneratedDemo> GenerateAsync(int patients, int seed, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var clinicians = await CliniciansAsync();
        var (versions, forms, firstNumber) = await PreparedAsync(cancellationToken);
        var terms = Task.FromResult(new ConsentTerms(versions, _clinic.ConsentValidityDays));
        var steps = new DemoPathway(_today, _clinic, _ => terms);
        var scan = await PlaceholderScanAsync();
        var run = new Run(steps, new Random(seed), clinicians, forms, scan);

        var cases = 0;
        // The next batch is made while the last one is written (SQLite's "async" calls run on the caller's thread,
        // hence Task.Run): the domain's steps and the database each keep a core busy.
        var saving = Task.CompletedTask;
        for (var done = 0; done < patients;)
        {
            var size = Math.Min(BatchSize, patients - done);
            var batch = new List<object>(size * 3);
            for (var i = 0; i < size; i++)
            {
                var (patient, made) = await run.PatientAsync(firstNumber + done + i);
                batch.Add(patient);
                batch.AddRange(made);
                cases += made.Count;
            }
            await saving;
            progress?.Report(done);
            saving = Task.Run(() => SaveAsync(batch, cancellationToken), cancellationToken);
            done += size;
        }
        await saving;
        progress?.Report(patients);

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
            await db.RecordAsync(AuditEntry.Event(AuditAction.Created, "DemoData", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                details: System.Text.Json.JsonSerializer.Serialize(new
                {
                    summary = $"seed-demo generated {patients} patients with seed {seed}",
                    patients,
                    cases,
                    seed,
                    firstMrn = Mrn(firstNumber).Value,
                    auditedPerRow = false,
                })), cancellationToken);
        }
        return new GeneratedDemo(patients, cases, seed, started.Elapsed);
    }

    /// <summary>One batch in a fresh context: the tracker holds only this batch, and nothing is compared to find changes (all rows are new).</summary>
    private async Task SaveAsync(List<object> batch, CancellationToken cancellationToken)
    {
        await using var db = DatabaseSetup.UnauditedContextForGeneratedData(services);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.AddRange(batch);
        await db.SaveChangesAsync(cancellationToken);
    }

    public static Mrn Mrn(int number) => Core.Patients.Mrn.Of($"KC{number:D7}");

    /// <summary>The published consent form of each cell source, and the number the first new MRN gets.</summary>
    private async Task<(List<ConsentTemplateVersion> Versions, Dictionary<CellSource, ConsentTemplateVersion> Forms, int FirstNumber)> PreparedAsync(
        CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var templates = await db.ConsentTemplates.AsNoTracking().Include(t => t.Versions).ToListAsync(cancellationToken);
        var forms = new Dictionary<CellSource, ConsentTemplateVersion>();
        foreach (var source in Enum.GetValues<CellSource>())
        {
            if (templates.FirstOrDefault(t => t.CellSource == source && t.Kind == TemplateKind.ConsentForm)?.Current(ConsentLanguage.English) is { } current)
                forms[source] = current;
        }
        return ([.. templates.SelectMany(t => t.Versions)], forms, await db.Patients.CountAsync(cancellationToken) + 1);
    }

    /// <summary>
    /// The clinicians the cases are shared among: the demo clinician when there is one, and the generator's own, made
    /// without a password (nobody signs in as them) unless one is given, as the load benchmark does to sign in as one.
    /// </summary>
    private async Task<List<(string Id, string VerifierId)>> CliniciansAsync()
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var ids = new List<string>();
        if (await users.FindByEmailAsync(DemoData.ClinicianEmail) is { } demo) ids.Add(demo.Id);
        for (var i = 0; i < ClinicianNames.Length; i++)
        {
            var email = $"clinician{i + 1}@{ClinicianDomain}";
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new ClinicUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = ClinicianNames[i] };
                Check(clinicianPassword is null ? await users.CreateAsync(user) : await users.CreateAsync(user, clinicianPassword));
                Check(await users.AddToRoleAsync(user, Roles.Clinician));
            }
            ids.Add(user.Id);
        }
        // Processing is checked by a second clinician: the next one along.
        return [.. ids.Select((id, i) => (id, ids[(i + 1) % ids.Count]))];
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    /// <summary>One scan file stands for every signed form: the generator makes paper records, not files.</summary>
    private async Task<StoredScan> PlaceholderScanAsync()
    {
        await using var scope = services.CreateAsyncScope();
        var pdf = PlaceholderPdf("Demo data: stands for the scan of every consent form signed in the generated data.");
        await using var stream = new MemoryStream(pdf);
        return await scope.ServiceProvider.GetRequiredService<ScanStore>().SaveAsync(new FormFile(stream, 0, stream.Length, "scan", "scan.pdf"), "application/pdf");
    }

    /// <summary>
    /// A one-page PDF with one line of text. The generated consent forms are these, not rendered forms: rendering and
    /// keeping a real form for every case would take hours and gigabytes, and a demo form is no one's consent.
    /// </summary>
    public static byte[] PlaceholderPdf(string line)
    {
        var text = new string([.. line.Select(c => c is >= ' ' and <= '~' and not '(' and not ')' and not '\\' ? c : '?')]);
        var content = $"BT /F1 12 Tf 56 780 Td ({text}) Tj ET";
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = pdf.Length;
        pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        pdf.Append(System.Globalization.CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    /// <summary>The random choices of one run, made in one order, so one seed gives one data set.</summary>
    private sealed class Run(DemoPathway steps, Random random, List<(string Id, string VerifierId)> clinicians,
        Dictionary<CellSource, ConsentTemplateVersion> forms, StoredScan scan)
    {
        private const string CodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        private readonly HashSet<string> _numbers = [];

        public async Task<(Patient Patient, List<Case> Cases)> PatientAsync(int number)
        {
            var names = Names[random.Next(Names.Length)];
            var sex = random.Next(100) < 55 ? Sex.Female : Sex.Male;
            var given = Pick(sex == Sex.Female ? names.Female : names.Male);
            var family = Pick(names.Family);
            var born = steps.Day(0).AddYears(-random.Next(35, 86)).AddDays(-random.Next(365));
            var firstSeen = random.Next(30, 1600);
            var patient = new Patient(Mrn(number), given, family, born, sex, steps.DaysAgo(firstSeen, 8));
            if (random.Next(100) < 85) patient.Update(given, family, born, sex, Phone(), null, null);

            var count = random.Next(100) switch { < 20 => 1, < 85 => 2, _ => 3 };
            var firstKnee = random.Next(2) == 0 ? KneeSide.Left : KneeSide.Right;
            var cases = new List<Case>(count);
            for (var i = 0; i < count; i++)
            {
                var knee = i % 2 == 0 ? firstKnee : Other(firstKnee);
                // A third case is on the knee of the first, which must be finished by then: one open case per knee.
                var target = i == 0 && count == 3 ? (random.Next(2) == 0 ? CaseStage.Completed : CaseStage.Closed) : Targets[random.Next(Targets.Length)];
                Check(Case.MayOpen(knee, cases.Where(c => c.IsOpen).Select(c => c.Knee)));
                cases.Add(await CaseAsync(patient, knee, target, i == 0 && count == 3));
            }
            return (patient, cases);
        }

        private async Task<Case> CaseAsync(Patient patient, KneeSide knee, CaseStage target, bool longAgo)
        {
            var (clinician, verifier) = clinicians[random.Next(clinicians.Count)];
            var source = (CellSource)random.Next(3);
            var walkTo = target == CaseStage.Closed
                ? new[] { CaseStage.Screening, CaseStage.NotEligible, CaseStage.Eligible, CaseStage.Consented, CaseStage.FollowUp }[random.Next(5)]
                : target;
            // Severe damage (KL 4) is a contraindication: only cases found not eligible (or not yet decided) have it.
            var kl = random.Next(100) switch { < 15 => 1, < 50 => 2, < 85 => 3, _ => walkTo is CaseStage.NotEligible or CaseStage.Screening ? 4 : 3 };
            var pain = random.Next(4, 10);
            var level = random.Next(2, 4);
            var baseline = Koos(level);

            // How long ago the case was opened, from how far along it is.
            var injectedDaysAgo = walkTo switch
            {
                CaseStage.Injected => random.Next(1, 10),
                CaseStage.FollowUp => random.Next(15, 360),
                CaseStage.Completed => random.Next(430, 1500),
                _ => 0,
            };
            if (longAgo && injectedDaysAgo > 0) injectedDaysAgo = Math.Max(injectedDaysAgo, 900);
            var opened = walkTo switch
            {
                CaseStage.Screening or CaseStage.Eligible => random.Next(1, 30),
                CaseStage.NotEligible => random.Next(1, 400),
                CaseStage.Consented => random.Next(5, 40),
                CaseStage.ProductObtained or CaseStage.ProductReleased => random.Next(12, 30),
                _ => injectedDaysAgo + 10,
            };
            if (longAgo && walkTo is not (CaseStage.Completed or CaseStage.FollowUp)) opened = Math.Max(opened, 900);
            var last = opened;

            Case @case;
            if (walkTo == CaseStage.Screening)
            {
                @case = steps.Opened(patient.Id, knee, source, kl, pain, baseline, clinician, opened);
            }
            else if (walkTo == CaseStage.NotEligible)
            {
                @case = steps.Screened(patient.Id, knee, source, kl, pain, baseline, clinician, opened, Pick(NotEligibleReasons));
            }
            else
            {
                @case = steps.Screened(patient.Id, knee, source, kl, pain, baseline, clinician, opened);
                // Eligible cases: a third wait for their form, a third have it printed and unsigned.
                if (walkTo == CaseStage.Eligible && random.Next(2) == 0)
                {
                    last = random.Next(1, opened);
                    Print(@case, steps.DaysAgo(last, 10), clinician);
                }
                else if (walkTo != CaseStage.Eligible)
                {
                    var printed = walkTo is CaseStage.Consented ? random.Next(1, opened) : injectedDaysAgo > 0 ? injectedDaysAgo + 3 : opened - 3;
                    Print(@case, steps.DaysAgo(printed, 10), clinician);
                    await steps.SignAsync(@case, steps.DaysAgo(printed, 10), clinician, scan);
                    last = printed;
                }
                if (walkTo is CaseStage.ProductObtained or CaseStage.ProductReleased)
                {
                    last = random.Next(1, opened - 3);
                    await steps.ObtainAsync(@case, steps.DaysAgo(last, 8), clinician);
                    if (walkTo == CaseStage.ProductReleased) await steps.ProcessAsync(@case, steps.DaysAgo(last, 9), clinician, verifier);
                }
                if (injectedDaysAgo > 0)
                {
                    await steps.InjectAsync(@case, injectedDaysAgo, clinician, verifier);
                    last = injectedDaysAgo;
                    last = await FollowUpAsync(@case, clinician, pain, level, walkTo == CaseStage.Completed, last);
                    if (random.Next(100) < 18) await AdverseEventAsync(@case, clinician, injectedDaysAgo);
                }
            }

            if (target == CaseStage.Closed)
            {
                var closedDaysAgo = last <= 1 ? 0 : random.Next(0, last);
                Check(@case.Close(Pick(CloseReasons), steps.DaysAgo(closedDaysAgo, 16)));
            }
            return @case;
        }

        /// <summary>The visits already due: most recorded on the day, pain and KOOS improving for most patients; some missed.</summary>
        private async Task<int> FollowUpAsync(Case @case, string clinician, int pain, int level, bool all, int last)
        {
            var responds = random.Next(100) < 70;
            var today = steps.Day(0);
            foreach (var visit in @case.Visits.OrderBy(v => v.DueOn))
            {
                if (visit.DueOn >= today) break;
                if (visit.WindowCloses < today && random.Next(100) < (all ? 4 : 10))
                {
                    Check(@case.MarkVisitMissed(visit.Id, today, "Did not attend; two calls unanswered."));
                    continue;
                }
                if (!all && random.Next(100) < 8) continue; // due, not yet seen
                if (responds)
                {
                    pain = Math.Max(0, pain - random.Next(0, 3));
                    level = Math.Max(0, level - random.Next(0, 2));
                }
                else
                {
                    pain = Math.Clamp(pain + random.Next(-1, 2), 0, 10);
                }
                await steps.VisitAsync(visit, @case, clinician, pain, Koos(level), responds ? "Walking further; less pain on stairs." : "No real change; still stiff in the mornings.");
                last = today.DayNumber - visit.DueOn.DayNumber;
            }
            return last;
        }

        private Task AdverseEventAsync(Case @case, string clinician, int injectedDaysAgo)
        {
            var onset = random.Next(1, Math.Max(2, Math.Min(injectedDaysAgo, 120)));
            var onsetDaysAgo = Math.Max(1, injectedDaysAgo - onset);
            var grade = random.Next(1000) switch { < 520 => 1, < 800 => 2, < 940 => 3, < 995 => 4, _ => 5 };
            var serious = grade switch
            {
                5 => SeriousCriteria.Death,
                4 => SeriousCriteria.LifeThreatening | SeriousCriteria.Hospitalisation,
                3 when random.Next(2) == 0 => SeriousCriteria.Hospitalisation,
                _ => SeriousCriteria.None,
            };
            var category = grade >= 3
                ? new[] { AdverseEventCategory.Infection, AdverseEventCategory.ImmuneReaction, AdverseEventCategory.Other }[random.Next(3)]
                : new[] { AdverseEventCategory.FlareUp, AdverseEventCategory.PainSwelling, AdverseEventCategory.BleedingBruising }[random.Next(3)];
            // Reported on the day it resolved (or of its onset, when still ongoing), never later than yesterday.
            var resolvedDaysAgo = grade < 5 && onsetDaysAgo >= 2 && random.Next(100) < 70 ? Math.Max(1, onsetDaysAgo - random.Next(1, 30)) : (int?)null;
            var outcome = grade == 5 ? AdverseEventOutcome.Fatal : resolvedDaysAgo is null ? AdverseEventOutcome.Ongoing : AdverseEventOutcome.Resolved;
            var reported = steps.DaysAgo(resolvedDaysAgo ?? onsetDaysAgo, 17);
            Check(@case.ReportAdverseEvent(new AdverseEventDetails(steps.Day(onsetDaysAgo), category, grade, serious,
                (Relatedness)random.Next(5), Describe(category), "Assessed in clinic; treated as needed.", outcome,
                resolvedDaysAgo is { } resolved ? steps.Day(resolved) : null), clinician, steps.At(reported)));
            return Task.CompletedTask;
        }

        private static string Describe(AdverseEventCategory category) => category switch
        {
            AdverseEventCategory.Infection => "Fever and a hot, swollen knee.",
            AdverseEventCategory.ImmuneReaction => "Rash and joint swelling a few days after the injection.",
            AdverseEventCategory.FlareUp => "Warm, swollen knee two days after the injection.",
            AdverseEventCategory.PainSwelling => "Pain and swelling at the injection site.",
            AdverseEventCategory.BleedingBruising => "Bruising around the harvest site.",
            _ => "Unexpected symptoms reported by the patient.",
        };

        /// <summary>A form "printed": the domain's consent document, with a one-line placeholder for the PDF.</summary>
        private void Print(Case @case, DateTimeOffset at, string clinician)
        {
            Check(@case.CanGenerateConsent());
            if (!forms.TryGetValue(@case.CellSource, out var version))
                throw new InvalidOperationException($"No published consent template for {@case.CellSource}: import the templates first.");
            var number = DocumentNumber.Stored($"KC-{at.Year}-{Code()}");
            var pdf = PlaceholderPdf($"Demo data generated by seed-demo: consent form {number.Value} was not rendered.");
            Check(@case.AddConsent(new ConsentDocument(@case.Id, version.Id, number, pdf, Convert.ToHexStringLower(SHA256.HashData(pdf)), clinician, at)));
        }

        private string Code()
        {
            while (true)
            {
                var code = new string([.. Enumerable.Range(0, 8).Select(_ => CodeAlphabet[random.Next(CodeAlphabet.Length)])]);
                if (_numbers.Add(code)) return code;
            }
        }

        private KoosAnswers Koos(int level) =>
            new([.. Enumerable.Range(0, KoosAnswers.ItemCount).Select(_ => (int?)Math.Clamp(level + random.Next(-1, 2), 0, 4))]);

        private string Phone() => random.Next(4) switch
        {
            0 => $"+44 7700 9{random.Next(100000):D5}",
            1 => $"+34 6{random.Next(10):D1}{random.Next(10):D1} {random.Next(1000):D3} {random.Next(1000):D3}",
            2 => $"(555) {random.Next(100, 1000)}-{random.Next(10000):D4}",
            _ => $"+49 151 {random.Next(10000000):D7}",
        };

        private T Pick<T>(T[] items) => items[random.Next(items.Length)];

        private static KneeSide Other(KneeSide knee) => knee == KneeSide.Left ? KneeSide.Right : KneeSide.Left;

        private static void Check(RuleViolation? violation) => DemoPathway.Check(violation);
    }
}
