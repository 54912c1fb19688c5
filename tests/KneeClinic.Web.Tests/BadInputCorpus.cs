using System.Diagnostics;
using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using KneeClinic.Core.Cases;
using KneeClinic.Core.Consent;
using KneeClinic.Core.Patients;
using KneeClinic.Core.Screening;
using KneeClinic.Core.Staff;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;
using Xunit.Abstractions;
using static KneeClinic.Web.Tests.WebSession;

namespace KneeClinic.Web.Tests;

/// <summary>
/// Hostile input through every form of the app: markup, SQL, huge and control characters, bidi and zero-width
/// marks, broken surrogates, impossible dates and numbers, wrong enum values, format strings, path traversal and
/// lying file uploads. The forms are found on the real pages (cases brought to each stage first) and posted with
/// their own antiforgery token. Nothing may answer 5xx, no answer may carry hostile markup unencoded, names that
/// are accepted print literally on the consent form, and the app still works afterwards.
/// </summary>
public sealed class BadInputCorpus(BadInputCorpus.Factory factory, ITestOutputHelper output) : IClassFixture<BadInputCorpus.Factory>
{
    /// <summary>The test clinic with a short follow-up schedule, so a visit is overdue two days after the injection.</summary>
    public sealed class Factory : ClinicFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Clinic:FollowUpVisits:0:Label", "1 day");
            builder.UseSetting("Clinic:FollowUpVisits:0:DaysAfterInjection", "1");
            builder.UseSetting("Clinic:FollowUpVisits:0:WindowDaysBefore", "1");
            builder.UseSetting("Clinic:FollowUpVisits:0:WindowDaysAfter", "0");
            builder.UseSetting("Clinic:FollowUpVisits:1:Label", "1 month");
            builder.UseSetting("Clinic:FollowUpVisits:1:DaysAfterInjection", "30");
            builder.UseSetting("Clinic:FollowUpVisits:1:WindowDaysBefore", "30");
            builder.UseSetting("Clinic:FollowUpVisits:1:WindowDaysAfter", "30");
        }
    }

    // ---------------------------------------------------------------- the corpus

    public sealed record Hostile(string Category, string Text)
    {
        /// <summary>Values whose raw appearance in a page would be markup (or break out of an attribute).</summary>
        public bool IsMarkup => Text.Length >= 6 && Text.IndexOfAny(['<', '>', '"', '\'']) >= 0;
        public override string ToString() => $"{Category}: {Printable(Text)}";
    }

    public sealed record HostileFile(string Label, string FileName, string ContentType, byte[] Content, bool IsRealPdf);

    private static string Printable(string text)
    {
        var shown = new StringBuilder();
        foreach (var ch in text.Length > 60 ? text[..60] : text)
            shown.Append(ch < 0x20 || ch is >= '\u007f' and <= '\u00a0' || char.IsSurrogate(ch) || ch is >= '\u200b' and <= '\u206f'
                ? $"\\u{(int)ch:x4}" : ch.ToString());
        return text.Length > 60 ? $"{shown}... ({text.Length} chars)" : shown.ToString();
    }

    private static readonly Dictionary<string, string[]> Categories = new()
    {
        ["markup"] =
        [
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'><svg onload=alert(1)>", "</textarea><script>alert(1)</script>",
            "</title><script>alert(1)</script>", "<a href=\"javascript:alert(1)\">x</a>", "\" autofocus onfocus=alert(1) x=\"",
            "<iframe src=javascript:alert(1)></iframe>", "<!--", "<b>bold</b>", "&lt;script&gt;alert(1)&lt;/script&gt;", "]]><x>",
        ],
        ["url"] =
        [
            "javascript:alert(1)", "JaVaScRiPt:alert(document.cookie)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
            "//evil.example", "https://evil.example/", "/\\evil.example", "vbscript:msgbox(1)",
        ],
        ["sql"] =
        [
            "' OR 1=1 --", "'; DROP TABLE Patients; --", "\" OR \"\"=\"", "1; SELECT * FROM AspNetUsers", "') OR ('1'='1", "%' OR '%'='",
            "' UNION SELECT NULL, NULL --", "%", "_", "\\",
        ],
        ["long"] =
        [
            new string('a', 10_000), string.Concat(Enumerable.Repeat("<script>alert(1)</script>", 400)), new string('é', 10_000),
            string.Concat(Enumerable.Repeat("👍🏽", 2_500)), new string('9', 10_000), string.Concat(Enumerable.Repeat("Ana ", 2_500)),
            new string('x', 101), new string('x', 201), new string('x', 4_001),
        ],
        ["control"] =
        [
            "\0", "Ana\0Ruiz", "\u0001", "\b", "\u001b[31mred\u001b[0m", "\r", "\n", "Ana\rRuiz", "Ana\nRuiz", "\t", "\u007f", "\u0085",
            "\u2028", "\u2029", "\f\v",
        ],
        ["bidi"] = ["\u200f", "\u202e", "\u202egnp.exe", "Ana\u200fRuiz", "\u202dLTR\u202c", "\u2066isolate\u2069", "\u061c", "\u200e"],
        ["zero-width"] = ["\u200b", "\u200c", "\u200d", "\ufeff", "An\u200ba", "\u2060", "\u00ad"],
        ["surrogate"] =
        [
            "\ud800", "\udfff", "a\ud800b", "\udc00\ud800", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "𝕬𝖓𝖆", "Ａｎａ", "\U0001F4A9",
        ],
        ["date"] =
        [
            "2025-02-30", "0000-00-00", "9999-99-99", "31/12/2020", "yesterday", "2025-13-01", "2025-02-29T25:61", "0001-01-01",
            "9999-12-31T23:59", "1899-12-31", "2200-01-02T00:00", "-2025-01-01", "2025-01-01T00:00:00+99:00", "12/31/2020 11:59 PM",
        ],
        ["number"] =
        [
            "-1", "-0", "-999999999", "1e309", "99999999999999999999", "79228162514264337593543950336", "0.0000000000000000000000000001",
            "NaN", "Infinity", "-Infinity", "0x7FFFFFFF", "1,5", "1.5.5", "٣", "２", "+5", "5e-324", "2147483648", "-2147483649",
        ],
        ["enum"] = ["Sideways", "999", "0", "Left,Right", "left", "LEFT ", "Eligible|Ineligible", "None", "2147483647", "3.5", "true"],
        ["whitespace"] = ["", " ", "   ", "\t\t", "\u00a0", "\u3000", "\r\n\r\n", "\u2003"],
        ["normalisation"] =
        [
            "Zoe\u0308", "Zo\u00eb", "ﬁ", "\u212b", "A\u030a", "ǅ", "İstanbul", "ß", "\u2126mega", "e\u0301\u0301\u0301\u0301",
        ],
        ["format"] = ["{0}", "{0:D99999}", "%s%n", "%x%x%x%x", "{{ liquid }}", "{{ patient.name }}", "${jndi:ldap://x}", "@(1+1)", "#{7*7}", "<%= 7*7 %>"],
        ["path"] =
        [
            "../../etc/passwd", "..\\..\\win.ini", "%2e%2e%2f", "..%2f..%2fetc%2fpasswd", "/etc/passwd", "C:\\Windows\\win.ini", "....//....//",
            "%00", "file:///etc/passwd", "\\\\server\\share",
        ],
    };

    /// <summary>
    /// Each value as typed; and where a value could hide in ordinary text (markup, SQL, invisible and odd characters,
    /// format strings), also inside an ordinary name, where a check of the whole field misses it.
    /// </summary>
    private static readonly (string Name, Func<string, string> Make, string[] Categories)[] Variants =
    [
        ("as typed", v => v, [.. Categories.Keys]),
        ("inside a name", v => $"Ana {v} Ruiz", ["markup", "sql", "control", "bidi", "zero-width", "surrogate", "normalisation", "format"]),
    ];

    public static IReadOnlyList<Hostile> Corpus { get; } = [.. Categories
        .SelectMany(c => Variants.Where(variant => variant.Categories.Contains(c.Key))
            .SelectMany(variant => c.Value.Select(v => new Hostile($"{c.Key} ({variant.Name})", variant.Make(v)))))
        .DistinctBy(h => h.Text)];

    private static readonly byte[] RealPdf = [.. "%PDF-1.4\n% scanned signed form\n"u8, .. new byte[600]];

    public static IReadOnlyList<HostileFile> Files { get; } =
    [
        new("HTML named scan.pdf", "scan.pdf", "application/pdf", "<html><script>alert(1)</script></html>"u8.ToArray(), false),
        new("PE header named .png", "scan.png", "image/png", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, .. new byte[200]], false),
        new("ELF header named .png", "scan.png", "image/png", [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, .. new byte[200]], false),
        new("empty file", "scan.pdf", "application/pdf", [], false),
        new("SVG with script named .jpg", "scan.jpg", "image/jpeg", "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"u8.ToArray(), false),
        new("traversal name", "../../../evil.pdf", "application/pdf", RealPdf, true),
        new("Windows traversal name", "..\\..\\..\\evil.pdf", "application/pdf", RealPdf, true),
        new("double extension", "scan.pdf.html", "text/html", RealPdf, true),
        new("markup in the name", "<script>alert(1)</script>.pdf", "application/pdf", RealPdf, true),
        new("encoded NUL in the name", "scan.pdf%00.html", "application/pdf", RealPdf, true),
    ];

    [Fact]
    public void TheCorpusHasAtLeastTwoHundredDistinctValuesFromEveryCategory()
    {
        Assert.True(Corpus.Count >= 200, $"Only {Corpus.Count} values");
        Assert.Equal(Corpus.Count, Corpus.Select(h => h.Text).Distinct().Count());
        Assert.All(Categories.Keys, c => Assert.Contains(Corpus, h => h.Category.StartsWith(c + " ")));
    }

    // ---------------------------------------------------------------- sending forms

    private sealed record Field(string Name, string Kind, string Value);

    /// <summary>A form as the page offers it: where it posts, how, and its fields with their current values.</summary>
    private sealed record FormShape(string Action, string Method, bool Multipart, List<Field> Fields)
    {
        public string Token => Fields.Single(f => f.Name == "__RequestVerificationToken").Value;
    }

    /// <summary>One form to attack: the page holding it, and values that make the rest of the form valid.</summary>
    private sealed class Target
    {
        public required string Name { get; init; }
        public required Func<WebSession> Session { get; init; }
        public required string Url { get; init; }
        public required string Selector { get; init; }
        public Dictionary<string, string?> Valid { get; init; } = [];
        /// <summary>Fields whose hostile value goes inside a valid value (a template body), besides replacing it.</summary>
        public Dictionary<string, Func<string, string>> Embed { get; init; } = [];
        /// <summary>Values that must differ on every post (a new MRN, a new email).</summary>
        public Func<Dictionary<string, string?>>? Fresh { get; init; }
        /// <summary>Free-text fields left valid when the value goes into all the others at once.</summary>
        public string[] Keep { get; init; } = [];
        public bool EachField { get; init; }
        public bool Anonymous { get; init; }
    }

    private static readonly HtmlParser Parser = new();

    private static FormShape? Shape(string html, string selector, string pageUrl)
    {
        if (Parser.ParseDocument(html).QuerySelector(selector) is not IHtmlFormElement form) return null;
        var fields = new List<Field>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Name: { Length: > 0 } name } input:
                    var kind = input.Type switch
                    {
                        "hidden" => name == "__RequestVerificationToken" ? "token" : "hidden",
                        "checkbox" or "radio" => input.IsChecked ? "choice" : "unchecked",
                        "submit" or "button" => "skip",
                        "file" => "file",
                        "date" or "datetime-local" or "number" or "time" or "month" => "typed",
                        _ => "text",
                    };
                    if (kind is not ("skip" or "unchecked")) fields.Add(new(name, kind, input.Value));
                    break;
                case IHtmlTextAreaElement { Name: { Length: > 0 } name } area:
                    fields.Add(new(name, "text", area.Value));
                    break;
                case IHtmlSelectElement { Name: { Length: > 0 } name } select:
                    fields.Add(new(name, "choice", select.Value ?? ""));
                    break;
            }
        }
        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : pageUrl;
        return new(action, (form.GetAttribute("method") ?? "get").ToLowerInvariant(), form.Enctype == "multipart/form-data", fields);
    }

    /// <summary>
    /// Form encoding as a browser does it, except that a lone surrogate is sent as its three raw bytes (invalid
    /// UTF-8) instead of being replaced, so the server meets the broken text itself.
    /// </summary>
    private static string Encode(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i++, 2)));
            }
            else if (char.IsSurrogate(c))
            {
                bytes.AddRange([(byte)(0xE0 | (c >> 12)), (byte)(0x80 | ((c >> 6) & 0x3F)), (byte)(0x80 | (c & 0x3F))]);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        var encoded = new StringBuilder();
        foreach (var b in bytes)
            encoded.Append(b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'.'
                ? ((char)b).ToString() : $"%{b:X2}");
        return encoded.ToString();
    }

    private static string Body(IEnumerable<KeyValuePair<string, string>> values) =>
        string.Join('&', values.Select(v => Encode(v.Key) + "=" + Encode(v.Value)));

    private sealed record Reply(HttpStatusCode Status, string Text, string? Location, string Url);

    // Counters for the report.
    private int _requests, _accepted, _refused;
    private readonly HashSet<string> _formsCovered = [];
    private readonly Dictionary<string, (int Accepted, int Refused)> _perForm = [];
    private readonly List<string> _failures = [];
    private readonly Dictionary<int, int> _statuses = [];

    private static readonly string[] NeverInAPage =
    [
        "<script>alert(1)</script>", "onerror=alert(1)>", "onload=alert(1)>", "<svg onload", "<img src=x",
        "<iframe src=javascript", "\" autofocus onfocus", "href=\"javascript:", "src=\"javascript:", "action=\"javascript:", "href=\"data:", "<b>bold</b>",
    ];

    private static readonly System.Buffers.SearchValues<string> Markers = System.Buffers.SearchValues.Create(NeverInAPage, StringComparison.OrdinalIgnoreCase);

    private async Task<Reply> SendAsync(WebSession session, HttpRequestMessage request)
    {
        using var response = await session.Client.SendAsync(request);
        Interlocked.Increment(ref _requests);
        lock (_statuses) _statuses[(int)response.StatusCode] = _statuses.GetValueOrDefault((int)response.StatusCode) + 1;
        return new(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString,
            request.RequestUri!.OriginalString);
    }

    private Task<Reply> GetAsync(WebSession session, string url) => SendAsync(session, new HttpRequestMessage(HttpMethod.Get, url));

    private void Fail(string what)
    {
        lock (_failures) _failures.Add(what);
    }

    /// <summary>The checks every answer meets, whatever was sent.</summary>
    private void Check(Reply reply, string context, Hostile? sent, bool anonymous)
    {
        if ((int)reply.Status >= 500) Fail($"{(int)reply.Status} from {context}");
        // One pass over the page for all the markers; which ones are there is only worked out when one is.
        if (reply.Text.AsSpan().IndexOfAny(Markers) >= 0)
            foreach (var marker in NeverInAPage)
                if (reply.Text.Contains(marker, StringComparison.OrdinalIgnoreCase)) Fail($"unencoded '{marker}' in the answer to {context}");
        if (sent is { IsMarkup: true } && reply.Text.Contains(sent.Text, StringComparison.Ordinal)) Fail($"the value came back unencoded from {context}");
        if (reply.Location is { } location)
        {
            if (!location.StartsWith('/') || location.StartsWith("//") || location.StartsWith("/\\")) Fail($"redirect off the site to '{Printable(location)}' from {context}");
            if (!anonymous && location.StartsWith("/Account/Login", StringComparison.OrdinalIgnoreCase)) Fail($"signed out by {context}");
        }
    }

    private static bool Refused(Reply reply) =>
        reply.Status is not (HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther)
        || reply.Text.Contains("validation-summary-errors") || reply.Text.Contains("field-validation-error") || reply.Text.Contains("id=\"flash-error\"")
        || reply.Location is { } l && (l.StartsWith("/Account/Login", StringComparison.OrdinalIgnoreCase) || l.StartsWith("/Account/Lockout", StringComparison.OrdinalIgnoreCase));

    /// <summary>Sends one filled-in form, follows a redirect to the page it leads to, checks both; true when accepted.</summary>
    private async Task<(bool Accepted, Reply Answer, Reply? Landed)> PostAsync(WebSession session, Target target, FormShape form, Dictionary<string, string> values,
        Hostile? sent, string context, HostileFile? file = null)
    {
        var fields = values.Select(v => new KeyValuePair<string, string>(v.Key, v.Value)).ToList();
        HttpRequestMessage request;
        if (form.Method == "get")
        {
            request = new(HttpMethod.Get, form.Action + "?" + Body(fields.Where(f => f.Key != "__RequestVerificationToken")));
        }
        else if (form.Multipart)
        {
            var body = new MultipartFormDataContent();
            foreach (var (name, value) in fields) body.Add(new StringContent(value), name);
            var scan = file ?? Files.First(f => f.Label == "traversal name") with { FileName = "scan.pdf" };
            var content = new ByteArrayContent(scan.Content);
            content.Headers.ContentType = new(scan.ContentType);
            body.Add(content, form.Fields.Single(f => f.Kind == "file").Name, scan.FileName);
            request = new(HttpMethod.Post, form.Action) { Content = body };
        }
        else
        {
            request = new(HttpMethod.Post, form.Action)
            {
                Content = new StringContent(Body(fields), Encoding.ASCII, "application/x-www-form-urlencoded"),
            };
        }
        var reply = await SendAsync(session, request);
        Check(reply, context, sent, target.Anonymous);
        var refused = Refused(reply);
        Reply? landed = null;
        if (!refused && reply.Location is { } next && next.StartsWith('/'))
        {
            landed = await GetAsync(session, next);
            Check(landed, context + " (the page it led to)", sent, target.Anonymous);
            refused = Refused(landed);
        }
        lock (_perForm)
        {
            var (a, r) = _perForm.GetValueOrDefault(target.Name);
            _perForm[target.Name] = refused ? (a, r + 1) : (a + 1, r);
        }
        Interlocked.Increment(ref refused ? ref _refused : ref _accepted);
        return (!refused, reply, landed);
    }

    private static Dictionary<string, string> BaseValues(FormShape form, Target target)
    {
        var values = new Dictionary<string, string>();
        foreach (var f in form.Fields.Where(f => f.Kind != "file"))
            values.TryAdd(f.Name, f.Value);
        foreach (var (name, value) in target.Fresh is null ? target.Valid : target.Valid.Concat(target.Fresh()))
        {
            if (value is null) values.Remove(name);
            else values[name] = value;
        }
        return values;
    }

    private static bool IsGuid(string value) => Guid.TryParse(value, out _);

    /// <summary>The fields a person types into: text inputs, text areas, and hidden fields that are not ids or versions (a return address).</summary>
    private static List<string> TextFields(FormShape form) => [.. form.Fields
        .Where(f => f.Kind == "text" || f.Kind == "hidden" && !IsGuid(f.Value) && !f.Name.EndsWith("Id", StringComparison.Ordinal))
        .Select(f => f.Name).Distinct()];

    private static List<string> AllFields(FormShape form) => [.. form.Fields.Where(f => f.Kind is not ("token" or "file")).Select(f => f.Name).Distinct()];

    private async Task<(FormShape Form, string Html)> LoadAsync(WebSession session, Target target)
    {
        var page = await GetAsync(session, target.Url);
        Check(page, $"GET {target.Url}", null, target.Anonymous);
        var form = Shape(page.Text, target.Selector, target.Url)
            ?? throw new InvalidOperationException($"{target.Name}: no form '{target.Selector}' on {target.Url} ({page.Status} {page.Location})");
        return (form, page.Text);
    }

    /// <summary>
    /// One piece of the attack on a form: every value in all its free-text fields at once (all its fields, when it has
    /// none to type in; its address, when it has no fields at all), or, for the key forms, in one field with the rest valid.
    /// </summary>
    private sealed record Attack(Target Target, string? Field)
    {
        public string Name => Field is null ? Target.Name : $"{Target.Name} [{Field}]";
    }

    /// <summary>The pieces of the attack on each form: the key forms are attacked field by field, each field a piece of its own.</summary>
    private async Task<List<Attack>> AttacksAsync(IEnumerable<Target> targets)
    {
        var attacks = new List<Attack>();
        foreach (var target in targets)
        {
            attacks.Add(new(target, null));
            if (target.EachField) attacks.AddRange(AllFields((await LoadAsync(target.Session(), target)).Form).Select(name => new Attack(target, name)));
        }
        // The many pieces of the key forms first, so the four lanes finish together.
        return [.. attacks.OrderByDescending(a => a.Target.EachField)];
    }

    private async Task AttackAsync(Attack attack)
    {
        var watch = Stopwatch.StartNew();
        try { await AttackFormAsync(attack.Target, attack.Field); }
        finally { lock (_timings) _timings[attack.Name] = watch.Elapsed; }
    }

    private readonly Dictionary<string, TimeSpan> _timings = [];

    private async Task AttackFormAsync(Target target, string? field)
    {
        var session = target.Session();
        var (form, _) = await LoadAsync(session, target);
        lock (_formsCovered) _formsCovered.Add(target.Name);
        var text = TextFields(form);
        var all = AllFields(form);
        foreach (var value in Corpus)
        {
            if (field is not null)
            {
                var one = BaseValues(form, target);
                one[field] = value.Text;
                if (await PostAsync(session, target, form, one, value, $"{target.Name} [{field}] <- {value}") is (true, _, var landedHere))
                    form = await RefreshAsync(session, target, form, landedHere);
                continue;
            }
            var targets = text.Count > 0 ? [.. text.Except(target.Keep)] : all;
            if (targets.Count == 0)
            {
                // (The test server itself refuses a NUL in a path before the app sees it, as Kestrel answers 400.)
                if (value.Text.Contains('\0')) continue;
                // A form of buttons only: the hostile value goes where the record's id is, in its address.
                var address = form.Action[..(form.Action.LastIndexOf('/') + 1)] + Encode(value.Text);
                var bare = form with { Action = address };
                await PostAsync(session, target, bare, BaseValues(form, target), value, $"{target.Name} at {address[..Math.Min(address.Length, 80)]} <- {value}");
                continue;
            }
            var values = BaseValues(form, target);
            foreach (var name in targets) values[name] = value.Text;
            var (accepted, _, landed) = await PostAsync(session, target, form, values, value, $"{target.Name} [{string.Join(", ", targets)}] <- {value}");
            if (accepted) form = await RefreshAsync(session, target, form, landed);

            foreach (var (name, embed) in target.Embed)
            {
                values = BaseValues(form, target);
                values[name] = embed(value.Text);
                if (await PostAsync(session, target, form, values, value, $"{target.Name} [{name}, inside a valid value] <- {value}") is (true, _, var landedHere))
                    form = await RefreshAsync(session, target, form, landedHere);
            }
        }
    }

    /// <summary>
    /// After an accepted change the page is read again (new versions): the page the change led to when it is the form's own
    /// page (already fetched and checked), otherwise the form's page anew; a form that is gone is posted as it was.
    /// </summary>
    private async Task<FormShape> RefreshAsync(WebSession session, Target target, FormShape old, Reply? landed)
    {
        var page = landed is { Status: HttpStatusCode.OK } && landed.Url.Split('#')[0] == target.Url ? landed : await GetAsync(session, target.Url);
        return Shape(page.Text, target.Selector, target.Url) ?? old;
    }

    // ---------------------------------------------------------------- bringing cases to each stage through the forms

    private DateTimeOffset Now => factory.Clock.GetUtcNow();
    private static string Local(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm");
    private string Today => DateOnly.FromDateTime(Now.UtcDateTime).ToString("yyyy-MM-dd");

    private Dictionary<string, string?> HarvestFields(string operatorId) => Fields(("Harvest.StartedAt", Local(Now.AddMinutes(-8))),
        ("Harvest.EndedAt", Local(Now.AddMinutes(-6))), ("Harvest.Site", "Right posterior iliac crest"), ("Harvest.VolumeMl", "60"),
        ("Harvest.Anaesthesia", "Local, lidocaine 1%"), ("Harvest.OperatorId", operatorId));

    private Dictionary<string, string?> ProcessingFields(string verifierId) => Fields(("Processing.Method", "Density-gradient concentration"),
        ("Processing.Device", "Separator CS-200"), ("Processing.KitLot", "KIT-5521"), ("Processing.KitExpiry", DateOnly.FromDateTime(Now.UtcDateTime).AddMonths(3).ToString("yyyy-MM-dd")),
        ("Processing.StartedAt", Local(Now.AddMinutes(-5))), ("Processing.EndedAt", Local(Now.AddMinutes(-3))), ("Processing.OutputVolumeMl", "4.5"),
        ("Processing.TotalNucleatedCells", "1200000000"), ("Processing.ViabilityPercent", "94.5"), ("Processing.Release", "Released"),
        ("Processing.DecidedAt", Local(Now.AddMinutes(-2))), ("Processing.UseBy", Local(Now.AddDays(5))), ("Processing.ReleaseNote", ""),
        ("Processing.VerifierId", verifierId), ("Processing.VerifierPassword", ClinicFactory.Password));

    private static Dictionary<string, string?> TimeOutFields(string code) => Fields(("TimeOut.ProductCode", code), ("TimeOut.Knee", "Left"),
        ("TimeOut.NameAndBirthDateConfirmed", "true"), ("TimeOut.RecordNumberConfirmed", "true"));

    private Dictionary<string, string?> InjectionFields() => Fields(("Injection.UltrasoundGuided", "true"), ("Injection.VolumeMl", "4"), ("Injection.Approach", "Superolateral"),
        ("Injection.PerformedAt", Local(Now)), ("Injection.DischargeInstructionsGiven", "true"));

    private Dictionary<string, string?> AdverseEventFields(string prefix) => new Dictionary<string, string?>
    {
        [$"{prefix}.OnsetOn"] = Today,
        [$"{prefix}.Category"] = "PainSwelling",
        [$"{prefix}.CtcaeGrade"] = "1",
        [$"{prefix}.Relatedness"] = "Possible",
        [$"{prefix}.Description"] = "Swelling",
        [$"{prefix}.Outcome"] = "Ongoing",
    };

    private async Task<Page> Step(WebSession session, Page page, string selector, IReadOnlyDictionary<string, string?> fields)
    {
        var result = await session.SubmitAsync(page, selector, fields);
        Assert.True(result.Status == HttpStatusCode.Redirect, $"{selector}: {result.Status} {string.Join(" | ", result.Errors)}");
        return await session.FollowAsync(result);
    }

    private Task<Guid> DocumentAsync(Guid caseId) => factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.CaseId == caseId)
        .OrderByDescending(d => d.GeneratedAt).Select(d => d.Id).FirstAsync());

    private async Task<string> ClinicianOfAsync(Guid caseId) =>
        await factory.QueryAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.AssignedClinicianId).SingleAsync());

    /// <summary>A screened case whose consent form has just been generated through the case page.</summary>
    private async Task<(WebSession Session, Guid CaseId)> GeneratedAsync(CellSource source)
    {
        var (session, caseId) = await factory.ClinicianWithScreenedCaseAsync(source);
        await Step(session, await session.GetAsync($"/Cases/Consent/{caseId}"), "#generate-consent", Fields(("Consent.Language", "en")));
        return (session, caseId);
    }

    /// <summary>
    /// A generated case taken on through the forms to <paramref name="stage"/>: consented, product obtained, released or
    /// injected. The clock has moved on ten minutes since the form was generated; it is signed a minute after printing.
    /// </summary>
    private async Task TakeOnAsync(WebSession session, Guid caseId, string stage, string verifierId)
    {
        var url = $"/Cases/Product/{caseId}";
        var sign = await session.GetAsync($"/Consents/Sign/{await DocumentAsync(caseId)}");
        var signed = await session.UploadAsync(sign, "form[enctype='multipart/form-data']",
            Fields(("Form.SignedAt", Local(Now.AddMinutes(-9))), ("Form.TeachBackConfirmed", "true")), "Form.Scan", "scan.pdf", RealPdf, "application/pdf");
        Assert.Equal(HttpStatusCode.Redirect, signed.Status);
        if (stage == "consented") return;
        var page = await Step(session, await session.GetAsync(url), "#harvest-form", HarvestFields(await ClinicianOfAsync(caseId)));
        if (stage == "obtained") return;
        page = await Step(session, page, "#processing-form", ProcessingFields(verifierId));
        if (stage == "released") return;
        var label = page.Document.QuerySelectorAll("#products tr[data-product] a[href^='/Procedures/Label/']").Last().GetAttribute("href")!;
        var code = (await session.GetAsync(label)).Document.QuerySelector("#product-code")!.TextContent.Trim();
        page = await Step(session, await session.GetAsync($"/Cases/TimeOut/{caseId}"), "#time-out-form", TimeOutFields(code));
        page = await Step(session, page, "#injection-form", InjectionFields());
        Assert.Equal("Injected", page.Document.QuerySelector("#case-stage")!.TextContent);
    }

    /// <summary>Runs independent setup steps four at a time (each on its own case and session).</summary>
    private static async Task<T[]> FourAtATimeAsync<T>(IEnumerable<Func<Task<T>>> steps)
    {
        using var gate = new SemaphoreSlim(4);
        return await Task.WhenAll(steps.Select(async step =>
        {
            await gate.WaitAsync();
            try { return await step(); }
            finally { gate.Release(); }
        }));
    }

    /// <summary>The same person signed in anew (the setup moved the clock past the idle limit).</summary>
    private async Task<WebSession> AgainAsync(string userId)
    {
        var email = await factory.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.Email!).SingleAsync());
        var session = factory.Session();
        Assert.Equal(HttpStatusCode.Redirect, (await session.LogInAsync(email, ClinicFactory.Password)).Status);
        return session;
    }

    private async Task<WebSession> ForCaseAsync(Guid caseId) => await AgainAsync(await ClinicianOfAsync(caseId));

    // ---------------------------------------------------------------- the test

    [Fact]
    public async Task NoFormAnswersHostileInputWithAServerErrorOrUnencodedMarkupAndTheAppStillWorks()
    {
        var watch = Stopwatch.StartNew();
        var verifier = await factory.CreateUserAsync($"verifier-{Guid.NewGuid():N}@clinic.test", Roles.Clinician);

        // The injected case first: two days later its first visit is overdue (Mark missed) and the next one open.
        var (injectedSession, injected) = await GeneratedAsync(CellSource.BoneMarrow);
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        await TakeOnAsync(injectedSession, injected, "injected", verifier.Id);
        await Step(injectedSession, await injectedSession.GetAsync($"/Cases/AdverseEvents/{injected}"), "#adverse-event-form", AdverseEventFields("AdverseEvent"));
        factory.Clock.Advance(TimeSpan.FromDays(2));

        // The other cases side by side: screened ones, and consent forms generated for those taken further, for the ones
        // to void or sign, and for each hostile upload; ten minutes later the forms are signed and the cases taken on.
        var screened = await FourAtATimeAsync(new (CellSource Source, bool Eligible, Medication? Medication)[]
            {
                (CellSource.BoneMarrow, false, new Medication("Ibuprofen", "400 mg", MedicationKind.Nsaid, null, null)),
                (CellSource.Adipose, false, null), (CellSource.Adipose, false, null), (CellSource.Adipose, true, null),
            }
            .Select(c => (Func<Task<Guid>>)(async () => (await factory.ClinicianWithScreenedCaseAsync(c.Source, c.Eligible, medication: c.Medication)).CaseId)));
        var (screening, deciding, closing, eligible) = (screened[0], screened[1], screened[2], screened[3]);
        var stages = new (string Stage, CellSource Source)[]
        {
            ("generated", CellSource.BoneMarrow), ("generated", CellSource.BoneMarrow), ("consented", CellSource.BoneMarrow), ("consented", CellSource.BoneMarrow),
            ("consented", CellSource.UmbilicalCord), ("obtained", CellSource.BoneMarrow), ("released", CellSource.BoneMarrow), ("released", CellSource.BoneMarrow),
            ("released", CellSource.BoneMarrow),
        };
        var generated = await FourAtATimeAsync(stages.Select(c => c.Source).Concat(Files.Select(_ => CellSource.Adipose))
            .Select(source => (Func<Task<(WebSession Session, Guid CaseId)>>)(() => GeneratedAsync(source))));
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        await FourAtATimeAsync(stages.Select((c, i) => (Func<Task<bool>>)(async () =>
        {
            if (c.Stage != "generated") await TakeOnAsync(generated[i].Session, generated[i].CaseId, c.Stage, verifier.Id);
            return true;
        })));
        var (toVoid, toSign, toWithdraw, toHarvest, toReceive, toProcess, toInject, toDiscard) = (generated[0].CaseId, generated[1].CaseId,
            generated[2].CaseId, generated[3].CaseId, generated[4].CaseId, generated[5].CaseId, generated[6].CaseId, generated[7].CaseId);
        var toTimeOut = generated[8].CaseId;
        var signDocument = await DocumentAsync(toSign);
        var voidDocument = await DocumentAsync(toVoid);
        var withdrawDocument = await DocumentAsync(toWithdraw);
        var missedVisit = await factory.QueryAsync(db => db.FollowUpVisits.Where(v => v.CaseId == injected && v.Label == "1 month").Select(v => v.Id).SingleAsync());
        var adverseEvent = await factory.QueryAsync(db => db.AdverseEvents.Where(e => e.CaseId == injected).Select(e => e.Id).SingleAsync());
        var patient = await factory.QueryAsync(db => db.Cases.Where(c => c.Id == screening).Select(c => c.PatientId).SingleAsync());

        // The uploads, each on a form of its own, so each is judged on a consent waiting for its signature.
        var uploads = await UploadsAsync(generated[stages.Length..]);

        // Everyone signs in anew now that the clock has moved on.
        var clinician = await ForCaseAsync(screening);
        var sessions = new Dictionary<Guid, WebSession>();
        foreach (var id in new[] { injected, deciding, closing, eligible, toVoid, toSign, toWithdraw, toHarvest, toReceive, toProcess, toInject, toDiscard, toTimeOut })
            sessions[id] = await ForCaseAsync(id);
        var label = await factory.QueryAsync(db => db.CellProducts.Where(p => p.CaseId == toInject).Select(p => p.ProductCode).SingleAsync());
        var timeOutLabel = await factory.QueryAsync(db => db.CellProducts.Where(p => p.CaseId == toTimeOut).Select(p => p.ProductCode).SingleAsync());
        // The injection form opens after the time-out at the bedside.
        await Step(sessions[toInject], await sessions[toInject].GetAsync($"/Cases/TimeOut/{toInject}"), "#time-out-form", TimeOutFields(label));
        using var admin = await factory.SignedInAsync(Roles.Administrator);
        var colleague = await factory.CreateUserAsync($"colleague-{Guid.NewGuid():N}@clinic.test", Roles.Clinician);
        using var passwordChanger = await factory.SignedInAsync(Roles.Clinician);
        using var enroller = await factory.SignedInAsync(Roles.Clinician);
        using var anonymous = factory.Session();
        var twoFactor = await TwoFactorHalfSignedInAsync();

        // A draft of a template no case here uses, for the editor and the publish and retire buttons.
        var templates = await admin.GetAsync("/ConsentTemplates");
        await admin.SubmitAsync(templates, "section[data-code=consent-adipose] tr[data-language=en][data-version='2'] form[action^='/ConsentTemplates/NewDraft']");
        var draft = await factory.QueryAsync(db => db.ConsentTemplateVersions.Where(v => v.Version == 3 && v.Language == ConsentLanguage.Of("en")
            && db.ConsentTemplates.Any(t => t.Id == v.TemplateId && t.Code == "consent-adipose")).Select(v => new { v.Id, v.Body }).SingleAsync());
        var setup = watch.Elapsed;

        static string Case(Guid id, string step) => $"/Cases/{step}/{id}";
        var serial = 0;
        var targets = new List<Target>
        {
            new() { Name = "patients/create", Session = () => clinician, Url = "/Patients/Create", Selector = "form[action='/Patients/Create']", EachField = true,
                Fresh = () => Fields(("Mrn", $"HX-{Interlocked.Increment(ref serial)}")), Valid = Fields(("GivenName", "Ana"), ("FamilyName", "Ruiz"), ("DateOfBirth", "1960-05-01"), ("Sex", "Female"), ("Phone", ""), ("Email", ""), ("Notes", "")) },
            new() { Name = "patients/edit", Session = () => clinician, Url = $"/Patients/Edit/{patient}", Selector = "form[action^='/Patients/Edit']",
                Keep = ["Mrn", "Phone", "Email"] },
            new() { Name = "patients/search", Session = () => clinician, Url = "/Patients", Selector = "#patient-search" },
            new() { Name = "cases/create", Session = () => clinician, Url = $"/Cases/Create?patientId={patient}", Selector = "form[action='/Cases/Create']",
                Valid = Fields(("Knee", "Left"), ("CellSource", "Adipose"), ("KellgrenLawrenceGrade", "2")) },
            new() { Name = "screening/checkup", Session = () => clinician, Url = Case(screening, "Screening"), Selector = "form[action$='/Screening/Checkup/" + screening + "']" },
            new() { Name = "screening/add-medication", Session = () => clinician, Url = Case(screening, "Screening"), Selector = "form[action$='/Screening/AddMedication/" + screening + "']",
                Valid = Fields(("Medication.Kind", "Nsaid")) },
            new() { Name = "screening/add-imaging", Session = () => clinician, Url = Case(screening, "Screening"), Selector = "form[action$='/Screening/AddImaging/" + screening + "']",
                Valid = Fields(("Imaging.Modality", "Mri"), ("Imaging.PerformedOn", Today), ("Imaging.KellgrenLawrenceGrade", "2")) },
            new() { Name = "screening/remove-medication", Session = () => clinician, Url = Case(screening, "Screening"), Selector = "form[action$='/Screening/RemoveMedication/" + screening + "']" },
            new() { Name = "screening/remove-imaging", Session = () => clinician, Url = Case(screening, "Screening"), Selector = "form[action$='/Screening/RemoveImaging/" + screening + "']" },
            new() { Name = "screening/baseline-koos", Session = () => clinician, Url = $"/Procedures/BaselineKoos/{screening}", Selector = "#baseline-koos-form" },
            new() { Name = "adverse-event/report", Session = () => clinician, Url = Case(screening, "AdverseEvents"), Selector = "#adverse-event-form",
                Valid = AdverseEventFields("AdverseEvent") },
            new() { Name = "screening/decide", Session = () => sessions[deciding], Url = Case(deciding, "Screening"), Selector = "form[action$='/Screening/Decide/" + deciding + "']",
                Valid = Fields(("Decision.Outcome", "Ineligible")) },
            new() { Name = "cases/close", Session = () => sessions[closing], Url = Case(closing, "Close"), Selector = "form[action$='/Cases/Close/" + closing + "']" },
            new() { Name = "consent/generate", Session = () => sessions[eligible], Url = Case(eligible, "Consent"), Selector = "#generate-consent" },
            new() { Name = "consent/sign", Session = () => sessions[toSign], Url = $"/Consents/Sign/{signDocument}", Selector = "form[enctype='multipart/form-data']",
                Valid = Fields(("Form.TeachBackConfirmed", "true")) },
            new() { Name = "consent/void", Session = () => sessions[toVoid], Url = Case(toVoid, "Consent"), Selector = $"form[action='/Consents/Void/{voidDocument}']" },
            new() { Name = "consent/withdraw", Session = () => sessions[toWithdraw], Url = Case(toWithdraw, "Consent"), Selector = $"form[action='/Consents/Withdraw/{withdrawDocument}']",
                Valid = Fields(("Withdraw.WithdrawnAt", Local(Now.AddMinutes(-1)))) },
            new() { Name = "consent/verify", Session = () => clinician, Url = "/Consents/Verify", Selector = "form[action='/Consents/Verify']" },
            new() { Name = "product/harvest", Session = () => sessions[toHarvest], Url = Case(toHarvest, "Product"), Selector = "#harvest-form",
                Valid = HarvestFields(await ClinicianOfAsync(toHarvest)) },
            new() { Name = "product/receipt", Session = () => sessions[toReceive], Url = Case(toReceive, "Product"), Selector = "#receipt-form",
                Valid = Fields(("Receipt.Expiry", DateOnly.FromDateTime(Now.UtcDateTime).AddMonths(2).ToString("yyyy-MM-dd")), ("Receipt.ReceivedAt", Local(Now.AddMinutes(-5))),
                    ("Receipt.ReceivedById", await ClinicianOfAsync(toReceive))) },
            new() { Name = "product/processing", Session = () => sessions[toProcess], Url = Case(toProcess, "Product"), Selector = "#processing-form",
                Valid = ProcessingFields(colleague.Id) },
            new() { Name = "product/discard", Session = () => sessions[toDiscard], Url = Case(toDiscard, "Product"), Selector = "#discard-form" },
            new() { Name = "product/time-out", Session = () => sessions[toTimeOut], Url = Case(toTimeOut, "TimeOut"), Selector = "#time-out-form",
                Valid = TimeOutFields(timeOutLabel) },
            new() { Name = "product/inject", Session = () => sessions[toInject], Url = Case(toInject, "Injection"), Selector = "#injection-form",
                Valid = InjectionFields() },
            new() { Name = "follow-up/visit", Session = () => sessions[injected], Url = $"/Procedures/Visit/{missedVisit}", Selector = "#visit-form",
                Valid = Fields(("Form.PainNrs", "3")) },
            new() { Name = "follow-up/mark-missed", Session = () => sessions[injected], Url = Case(injected, "FollowUp"), Selector = "form[action$='/Procedures/MarkMissed/" + injected + "']" },
            new() { Name = "adverse-event/update", Session = () => sessions[injected], Url = $"/Procedures/UpdateAdverseEvent/{adverseEvent}", Selector = "#adverse-event-form" },
            new() { Name = "staff/create", Session = () => admin, Url = "/Staff/Create", Selector = "form[action='/Staff/Create']", Keep = ["Email"],
                Fresh = () => Fields(("Email", $"staff-{Interlocked.Increment(ref serial)}@clinic.test")), Valid = Fields(("DisplayName", "Dr Ana Nueva"), ("InitialPassword", "a long enough passphrase"), ("Clinician", "true")) },
            new() { Name = "staff/edit", Session = () => admin, Url = $"/Staff/Edit/{colleague.Id}", Selector = "form[action^='/Staff/Edit']" },
            new() { Name = "staff/disable", Session = () => admin, Url = "/Staff", Selector = $"form[action='/Staff/Disable/{colleague.Id}']" },
            new() { Name = "consent-templates/edit", Session = () => admin, Url = $"/ConsentTemplates/Edit/{draft.Id}", Selector = "form[action^='/ConsentTemplates/Edit']",
                Embed = new() { ["Body"] = v => draft.Body + "\n\n" + v + "\n" } },
            new() { Name = "consent-templates/publish", Session = () => admin, Url = $"/ConsentTemplates/Publish/{draft.Id}", Selector = "#publish-form" },
            new() { Name = "consent-templates/retire", Session = () => admin, Url = "/ConsentTemplates",
                Selector = "section[data-code=consent-adipose] tr[data-language=en][data-version='2'] form[action^='/ConsentTemplates/Retire']" },
            new() { Name = "consent-templates/new-draft", Session = () => admin, Url = "/ConsentTemplates",
                Selector = "section[data-code=consent-adipose] tr[data-language=en][data-version='2'] form[action^='/ConsentTemplates/NewDraft']" },
            new() { Name = "consent-records/filter", Session = () => admin, Url = "/ConsentRecords", Selector = "#consent-filter" },
            new() { Name = "account/login", Session = () => anonymous, Url = "/Account/Login", Selector = "form[action^='/Account/Login']", Anonymous = true,
                Valid = Fields(("Email", "nobody@clinic.test"), ("Password", "not the password")) },
            new() { Name = "account/login-2fa", Session = () => twoFactor, Url = "/Account/LoginWith2fa", Selector = "form[action^='/Account/LoginWith2fa']", Anonymous = true },
            new() { Name = "account/login-recovery-code", Session = () => twoFactor, Url = "/Account/LoginWithRecoveryCode",
                Selector = "form[action^='/Account/LoginWithRecoveryCode']", Anonymous = true },
            new() { Name = "manage/change-password", Session = () => passwordChanger, Url = "/Manage", Selector = "form[action='/Manage/ChangePassword']" },
            new() { Name = "manage/enable-authenticator", Session = () => enroller, Url = "/Manage/EnableAuthenticator", Selector = "form[action='/Manage/EnableAuthenticator']" },
        };

        // Four at a time: the forms are independent (their own sessions; those on one case see each other's changes as conflicts),
        // and so are the fields of a key form (each of its posts makes a record of its own).
        var attacks = await AttacksAsync(targets);
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(attacks.Select(async a =>
        {
            await gate.WaitAsync();
            try { await AttackAsync(a); }
            finally { gate.Release(); }
        }));
        var attacked = watch.Elapsed;

        // Accepted names are printed as typed on the consent form, or refused with the reason.
        var (printed, unprintable) = await NamesOnConsentFormsAsync();

        // Pages that list what was stored, read with it all in place.
        foreach (var (session, url) in new[] { (clinician, "/Patients"), (clinician, "/Dashboard?all=true"), (clinician, Case(screening, "Screening")), (admin, "/Staff"),
                     (admin, "/ConsentRecords"), (admin, "/ConsentTemplates"), (admin, $"/ConsentTemplates/Preview/{draft.Id}"), (sessions[injected], Case(injected, "FollowUp")),
                     (sessions[toHarvest], Case(toHarvest, "Product")), (sessions[toProcess], Case(toProcess, "Product")), (sessions[toSign], Case(toSign, "Consent")) })
        {
            var page = await GetAsync(session, url);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Check(page, $"GET {url} afterwards", null, anonymous: false);
        }

        // The app still works: a newcomer signs in, registers a patient and finds them.
        using var newcomer = await factory.SignedInAsync(Roles.Clinician);
        var created = await newcomer.SubmitAsync(await newcomer.GetAsync("/Patients/Create"), "form[action='/Patients/Create']", Fields(
            ("Mrn", "AFTER-1"), ("GivenName", "Marta"), ("FamilyName", "Después"), ("DateOfBirth", "1959-01-02"), ("Sex", "Female")));
        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        var found = await newcomer.SubmitAsync(await newcomer.GetAsync("/Patients"), "#patient-search", Fields(("Name", "Después")));
        Assert.Contains("AFTER-1", found.Document.QuerySelector("table")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await newcomer.GetAsync("/Dashboard")).Status);

        output.WriteLine($"Values in the corpus: {Corpus.Count} ({Categories.Count} categories x {Variants.Length} variants, distinct), plus {Files.Count} hostile uploads");
        output.WriteLine($"Forms covered: {_formsCovered.Count + 1} (the signature form's upload included): {string.Join(", ", _formsCovered.Order())}");
        output.WriteLine($"Requests sent: {_requests} ({string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Value} x {s.Key}"))})");
        output.WriteLine($"Values accepted: {_accepted}, refused: {_refused}");
        foreach (var (form, (a, r)) in _perForm.OrderBy(p => p.Key))
            output.WriteLine($"  {form}: {a} accepted, {r} refused, {_timings.Where(t => t.Key == form || t.Key.StartsWith(form + " [", StringComparison.Ordinal)).Sum(t => t.Value.TotalSeconds):F1} s");
        output.WriteLine($"Uploads: {string.Join("; ", uploads)}");
        output.WriteLine($"Consent forms for accepted names: {printed} printed the name literally, {unprintable} refused with a message");
        output.WriteLine($"Time: setup {setup.TotalSeconds:F0} s, corpus {(attacked - setup).TotalSeconds:F0} s, total {watch.Elapsed.TotalSeconds:F0} s");

        Assert.True(_failures.Count == 0, $"{_failures.Count} failures:\n{string.Join("\n", _failures.Distinct().Take(40))}");
        Assert.All(targets, t => Assert.Contains(t.Name, _formsCovered));
        Assert.True(_accepted > 0 && _refused > 0);
        Assert.True(printed > 0);
    }

    /// <summary>A clinician with an authenticator, signed in with the password and now asked for the code.</summary>
    private async Task<WebSession> TwoFactorHalfSignedInAsync()
    {
        var email = $"twofactor-{Guid.NewGuid():N}@clinic.test";
        var user = await factory.CreateUserAsync(email, Roles.Clinician);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
            var stored = (await users.FindByIdAsync(user.Id))!;
            await users.ResetAuthenticatorKeyAsync(stored);
            await users.SetTwoFactorEnabledAsync(stored, true);
        }
        var session = factory.Session();
        Assert.StartsWith("/Account/LoginWith2fa", (await session.LogInAsync(email, ClinicFactory.Password)).Location);
        return session;
    }

    /// <summary>Each hostile file on the signature form of a consent of its own; nothing is stored under a name the sender chose.</summary>
    private async Task<string[]> UploadsAsync((WebSession Session, Guid CaseId)[] forms)
    {
        var results = await FourAtATimeAsync(Files.Zip(forms).Select(upload => (Func<Task<string>>)(async () =>
        {
            var (file, (session, caseId)) = upload;
            var document = await DocumentAsync(caseId);
            var target = new Target { Name = "consent/sign (upload)", Session = () => session, Url = $"/Consents/Sign/{document}", Selector = "form[enctype='multipart/form-data']" };
            var (form, _) = await LoadAsync(session, target);
            var values = BaseValues(form, target);
            values["Form.TeachBackConfirmed"] = "true";
            values["Form.SignedAt"] = Local(Now.AddSeconds(-30));
            var (accepted, answer, _) = await PostAsync(session, target, form, values, new Hostile("upload", file.FileName), $"upload {file.Label}", file);
            Assert.True(accepted == file.IsRealPdf, $"{file.Label}: {(accepted ? "accepted" : "refused")} ({answer.Status})");
            if (!accepted) Assert.Contains("field-validation-error", answer.Text);
            if (accepted)
            {
                var stored = await factory.QueryAsync(db => db.ConsentDocuments.AsNoTracking().Where(d => d.Id == document).Select(d => d.Signature!).SingleAsync());
                Assert.Equal("application/pdf", stored.ScanContentType);
                Assert.Matches("^[0-9a-f]{32}\\.pdf$", stored.ScanFileName);
                var scan = await session.Client.GetAsync($"/Consents/Scan/{document}");
                Assert.Equal("application/pdf", scan.Content.Headers.ContentType!.MediaType);
                Assert.Equal("inline", scan.Content.Headers.ContentDisposition!.DispositionType);
                Assert.Equal("nosniff", scan.Headers.GetValues("X-Content-Type-Options").Single());
            }
            return $"{file.Label}: {(accepted ? "accepted" : "refused")}";
        })));
        var root = Path.GetPathRoot(factory.DataDirectory)!;
        Assert.False(File.Exists(Path.Combine(root, "evil.pdf")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(factory.DataDirectory)!, "evil.pdf")));
        Assert.All(Directory.GetFiles(factory.DataDirectory, "*", SearchOption.AllDirectories), f => Assert.DoesNotContain("evil", f));
        lock (_formsCovered) _formsCovered.Add("consent/sign (upload)");
        return results;
    }

    /// <summary>
    /// Every patient registered with a hostile name gets an eligible case and a consent form through the form on
    /// its case page: the PDF shows the name as stored, or the case page says which characters cannot be printed.
    /// </summary>
    private async Task<(int Printed, int Unprintable)> NamesOnConsentFormsAsync()
    {
        var patients = await factory.QueryAsync(db => db.Patients.AsNoTracking().Where(p => p.GivenName != "Ana" || p.FamilyName != "Ruiz")
            .Where(p => !db.Cases.Any(c => c.PatientId == p.Id)).ToListAsync());
        // The names typed into the given-name field, one patient for each value the form accepted there.
        var accepted = patients.Where(p => p.GivenName != "Ana" && p.FamilyName == "Ruiz").ToList();
        Assert.NotEmpty(accepted);
        // A consent form costs a render and a read-back: every accepted name with markup or quotes, and a spread of the rest.
        var markup = accepted.Where(p => p.GivenName.IndexOfAny(['<', '>', '"', '\'', '&']) >= 0).OrderBy(p => p.GivenName, StringComparer.Ordinal).ToList();
        var rest = accepted.Except(markup).OrderBy(p => p.GivenName, StringComparer.Ordinal).ToList();
        var stride = Math.Max(1, rest.Count / 16);
        var hostileNames = markup.Concat(rest.Where((_, i) => i % stride == 0)).ToList();
        output.WriteLine($"Names accepted by the patient form: {accepted.Count}; consent forms made for {hostileNames.Count} of them ({markup.Count} with markup or quotes)");
        var email = $"printer-{Guid.NewGuid():N}@clinic.test";
        var clinician = await factory.CreateUserAsync(email, Roles.Clinician);
        using var session = factory.Session();
        await session.LogInAsync(email, ClinicFactory.Password);
        int printed = 0, unprintable = 0;
        foreach (var patient in hostileNames)
        {
            var now = Now;
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var caseId = await factory.QueryAsync(async db =>
            {
                var c = new Case(patient.Id, KneeSide.Left, CellSource.Adipose, KlGrade.Of(2), clinician.Id, now);
                c.RecordCheckup(today, null, null, 5, [], today);
                c.AddImaging(new ImagingStudy(ImagingModality.XRay, today, "narrowing", KlGrade.Of(2)), today);
                c.DecideEligibility(EligibilityOutcome.Eligible, "Reviewed.", clinician.Id, now);
                db.Add(c);
                await db.SaveChangesAsync();
                return c.Id;
            });
            var casePage = await session.GetAsync($"/Cases/Consent/{caseId}");
            var generated = await session.SubmitAsync(casePage, "#generate-consent", Fields(("Consent.Language", "en")));
            Assert.Equal(HttpStatusCode.Redirect, generated.Status);
            var landed = await session.FollowAsync(generated);
            Assert.True((int)landed.Status < 500);
            foreach (var marker in NeverInAPage) Assert.DoesNotContain(marker, landed.Text, StringComparison.OrdinalIgnoreCase);
            var document = await factory.QueryAsync(db => db.ConsentDocuments.Where(d => d.CaseId == caseId).Select(d => new { d.Id, d.Content }).FirstOrDefaultAsync());
            var name = $"{patient.GivenName} {patient.FamilyName}";
            if (document is null)
            {
                Assert.Contains("The form cannot print these characters", landed.Document.QuerySelector("#flash-error")?.TextContent ?? "(no message)");
                unprintable++;
                continue;
            }
            var download = await session.Client.GetAsync($"/Consents/Download/{document.Id}");
            using var pdf = PdfDocument.Open(await download.Content.ReadAsByteArrayAsync());
            var words = pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text).ToList();
            var text = Words(string.Join(' ', words));
            Assert.True(text.Contains(Words(name), StringComparison.Ordinal),
                $"The consent form for '{Printable(name)}' does not show the name; it reads: {Printable(text[..Math.Min(text.Length, 400)])}");
            printed++;
        }
        return (printed, unprintable);
    }

    /// <summary>Words separated by single spaces, in one normalisation form, as a reader of the printed page sees them.</summary>
    private static string Words(string text) =>
        string.Join(' ', text.Normalize(NormalizationForm.FormC).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
