using KneeClinic.Documents.Fonts;
using SkiaSharp;

namespace KneeClinic.Documents.Layout;

public sealed record TextStyle(FontFace Face, float Size, SKColor Color, float LineHeight = 1.35f)
{
    public TextStyle With(FontFace face) => this with { Face = face };
}

/// <summary>
/// The text styles of a document, in one place. Sizes are chosen for older readers: body text 12 pt (14 pt in
/// large print), tables 11 pt, and nothing a patient reads under 10 pt; all text is in near-black ink.
/// </summary>
public sealed record Typography(
    TextStyle Title, TextStyle Heading, TextStyle SubHeading, TextStyle Body, TextStyle TableHeader, TextStyle TableBody,
    TextStyle Label, TextStyle Small, TextStyle ClinicName, TextStyle Footer)
{
    public static readonly SKColor Ink = new(0x1f, 0x23, 0x28);
    public static readonly SKColor Rule = new(0x8a, 0x93, 0x9c);
    public static readonly SKColor Accent = new(0x0b, 0x4f, 0x9c);
    public static readonly SKColor Shade = new(0xe9, 0xef, 0xf7);

    /// <summary>The smallest size a patient reads; the footer and every label are at least this.</summary>
    public const float SmallestSize = 10;

    public static readonly Typography Standard = new(
        Title: new(FontFace.Bold, 17, Ink, 1.25f),
        Heading: new(FontFace.Bold, 15, Accent, 1.3f),
        SubHeading: new(FontFace.Bold, 13, Ink, 1.3f),
        Body: new(FontFace.Regular, 12, Ink, 1.4f),
        TableHeader: new(FontFace.Bold, 11, Ink, 1.3f),
        TableBody: new(FontFace.Regular, 11, Ink, 1.35f),
        Label: new(FontFace.Bold, 10, Ink, 1.3f),
        Small: new(FontFace.Regular, 10, Ink, 1.3f),
        ClinicName: new(FontFace.Bold, 13, Accent, 1.25f),
        Footer: new(FontFace.Regular, 10, Ink, 1.2f));

    /// <summary>Large print: body text 14 pt, tables 13 pt.</summary>
    public static readonly Typography LargePrint = new(
        Title: new(FontFace.Bold, 20, Ink, 1.25f),
        Heading: new(FontFace.Bold, 17, Accent, 1.3f),
        SubHeading: new(FontFace.Bold, 15, Ink, 1.3f),
        Body: new(FontFace.Regular, 14, Ink, 1.4f),
        TableHeader: new(FontFace.Bold, 13, Ink, 1.3f),
        TableBody: new(FontFace.Regular, 13, Ink, 1.35f),
        Label: new(FontFace.Bold, 12, Ink, 1.3f),
        Small: new(FontFace.Regular, 12, Ink, 1.3f),
        ClinicName: new(FontFace.Bold, 15, Accent, 1.25f),
        Footer: new(FontFace.Regular, 10, Ink, 1.2f));

    public TextStyle Bullet => Body with { Color = Accent };
}

/// <summary>A piece of text in one style.</summary>
public sealed record Run(string Text, TextStyle Style);
