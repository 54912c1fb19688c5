using KneeClinic.Documents.Fonts;
using SkiaSharp;

namespace KneeClinic.Documents.Layout;

public sealed record TextStyle(FontFace Face, float Size, SKColor Color, float LineHeight = 1.35f)
{
    public TextStyle With(FontFace face) => this with { Face = face };
}

/// <summary>Every text style of the documents, in one place.</summary>
public static class Typography
{
    public static readonly SKColor Ink = new(0x1f, 0x23, 0x28);
    public static readonly SKColor Muted = new(0x5c, 0x63, 0x6a);
    public static readonly SKColor Rule = new(0xad, 0xb5, 0xbd);
    public static readonly SKColor Accent = new(0x0b, 0x4f, 0x9c);
    public static readonly SKColor Shade = new(0xe9, 0xef, 0xf7);

    public static readonly TextStyle Title = new(FontFace.Bold, 15, Ink, 1.25f);
    public static readonly TextStyle Heading = new(FontFace.Bold, 12, Accent, 1.3f);
    public static readonly TextStyle SubHeading = new(FontFace.Bold, 10.5f, Ink, 1.3f);
    public static readonly TextStyle Body = new(FontFace.Regular, 9.5f, Ink);
    public static readonly TextStyle Bullet = Body with { Color = Accent };
    public static readonly TextStyle TableHeader = new(FontFace.Bold, 8.5f, Ink, 1.3f);
    public static readonly TextStyle TableBody = new(FontFace.Regular, 8.5f, Ink, 1.3f);
    public static readonly TextStyle Label = new(FontFace.Bold, 8.5f, Muted, 1.3f);
    public static readonly TextStyle Small = new(FontFace.Regular, 8, Muted, 1.3f);
    public static readonly TextStyle ClinicName = new(FontFace.Bold, 11, Accent, 1.25f);
    public static readonly TextStyle Footer = new(FontFace.Regular, 7, Muted, 1.2f);
}

/// <summary>A piece of text in one style.</summary>
public sealed record Run(string Text, TextStyle Style);
