using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace KneeClinic.Web.Tests;

/// <summary>
/// A person with a browser, minus the JavaScript: gets pages, fills in the forms that are really on
/// them (antiforgery token included) and follows redirects only when asked.
/// </summary>
public sealed class WebSession(HttpClient client) : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Client { get; } = client;

    /// <summary>Form fields by name, for <see cref="SubmitAsync"/>; a null value leaves the field out.</summary>
    public static Dictionary<string, string?> Fields(params (string Name, string? Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value);

    public async Task<Page> GetAsync(string url) => await Page.ReadAsync(await Client.GetAsync(url));

    /// <summary>Posts the form matching <paramref name="formSelector"/> with its current values, overridden by <paramref name="fields"/>.</summary>
    public async Task<Page> SubmitAsync(Page page, string formSelector, IReadOnlyDictionary<string, string?>? fields = null,
        IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var form = page.Document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form '{formSelector}' on {page.Url}:\n{page.Text[..Math.Min(page.Text.Length, 2000)]}");
        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio" } box when box.IsChecked && box.Name is { } n:
                    values.Add(new(n, box.Value));
                    break;
                case IHtmlInputElement { Type: "submit" or "button" or "checkbox" or "radio" }:
                    break;
                case IHtmlInputElement input when input.Name is { Length: > 0 } n:
                    values.Add(new(n, input.Value));
                    break;
                case IHtmlTextAreaElement area when area.Name is { Length: > 0 } n:
                    values.Add(new(n, area.Value));
                    break;
                case IHtmlSelectElement select when select.Name is { Length: > 0 } n:
                    values.Add(new(n, select.Value ?? ""));
                    break;
            }
        }
        if (fields is not null)
        {
            foreach (var (name, value) in fields)
            {
                values.RemoveAll(v => v.Key == name);
                if (value is not null) values.Add(new(name, value));
            }
        }
        if (extra is not null) values.AddRange(extra);

        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : page.Url;
        return await Page.ReadAsync(await Client.PostAsync(action, new FormUrlEncodedContent(values)));
    }

    /// <summary>
    /// Posts straight to <paramref name="url"/> with the antiforgery token of <paramref name="page"/>, as someone
    /// crafting a request by hand would: no form on the page has to offer the action.
    /// </summary>
    public async Task<Page> PostAsync(Page page, string url, IReadOnlyDictionary<string, string?> fields)
    {
        var token = page.Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"No antiforgery token on {page.Url}");
        var values = fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, string>(f.Key, f.Value!))
            .Append(new("__RequestVerificationToken", token));
        return await Page.ReadAsync(await Client.PostAsync(url, new FormUrlEncodedContent(values)));
    }

    /// <summary>Posts a multipart form (with a file) the way a browser does, antiforgery token included.</summary>
    public async Task<Page> UploadAsync(Page page, string formSelector, IReadOnlyDictionary<string, string?> fields,
        string fileField, string fileName, byte[] content, string contentType)
    {
        var form = page.Document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form '{formSelector}' on {page.Url}");
        using var body = new MultipartFormDataContent();
        var values = form.Elements.OfType<IHtmlInputElement>()
            .Where(i => i.Name is { Length: > 0 } && i.Type is not ("file" or "submit" or "checkbox"))
            .ToDictionary(i => i.Name!, i => (string?)i.Value);
        foreach (var (name, value) in fields) values[name] = value;
        foreach (var (name, value) in values)
            if (value is not null) body.Add(new StringContent(value), name);
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        body.Add(file, fileField, fileName);
        return await Page.ReadAsync(await Client.PostAsync(form.GetAttribute("action"), body));
    }

    public async Task<Page> FollowAsync(Page page)
    {
        while (page.Status is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther)
            page = await GetAsync(page.Location!);
        return page;
    }

    public async Task<Page> LogInAsync(string email, string password)
    {
        var login = await GetAsync("/Account/Login");
        return await SubmitAsync(login, "form[action='/Account/Login']", new Dictionary<string, string?> { ["Email"] = email, ["Password"] = password });
    }

    public void Dispose() => Client.Dispose();

    public sealed class Page
    {
        public required HttpStatusCode Status { get; init; }
        public required string Url { get; init; }
        public required string Text { get; init; }
        public required IHtmlDocument Document { get; init; }
        public string? Location { get; init; }
        public required HttpResponseMessage Response { get; init; }

        public IReadOnlyList<string> Errors => Document
            .QuerySelectorAll(".validation-summary-errors li, .field-validation-error, .text-danger li")
            .Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();

        public static async Task<Page> ReadAsync(HttpResponseMessage response)
        {
            var text = await response.Content.ReadAsStringAsync();
            return new Page
            {
                Status = response.StatusCode,
                Url = response.RequestMessage!.RequestUri!.PathAndQuery,
                Text = text,
                Document = Parser.ParseDocument(text),
                Location = response.Headers.Location?.OriginalString,
                Response = response,
            };
        }
    }
}
