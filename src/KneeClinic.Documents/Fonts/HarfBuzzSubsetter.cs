using System.Runtime.InteropServices;

namespace KneeClinic.Documents.Fonts;

/// <summary>
/// Font subsetting through HarfBuzz's hb_subset, which libHarfBuzzSharp exports but HarfBuzzSharp
/// does not wrap. The face is parsed once; each call makes a font holding only the given characters.
/// </summary>
internal sealed partial class HarfBuzzSubsetter : IDisposable
{
    private const string Library = "libHarfBuzzSharp";
    private const int MemoryModeDuplicate = 0;
    private const uint NoHinting = 0x1; // HB_SUBSET_FLAGS_NO_HINTING
    private const int DropTableTags = 3; // HB_SUBSET_SETS_DROP_TABLE_TAG

    // Tables a PDF viewer never reads: shaping (the text is laid out already), math layout and hinting modes.
    private static readonly uint[] Unread = [Tag("GSUB"), Tag("GPOS"), Tag("GDEF"), Tag("MATH"), Tag("gasp"), Tag("kern")];

    private IntPtr _blob;
    private IntPtr _face;
    private readonly GCHandle _pin;

    public HarfBuzzSubsetter(byte[] fontFile, string name)
    {
        _pin = GCHandle.Alloc(fontFile, GCHandleType.Pinned);
        _blob = hb_blob_create(_pin.AddrOfPinnedObject(), (uint)fontFile.Length, MemoryModeDuplicate, IntPtr.Zero, IntPtr.Zero);
        _pin.Free();
        _face = hb_face_create(_blob, 0);
        // A file that is not a font still gives a face, an empty one: check the glyphs.
        GlyphCount = hb_face_get_glyph_count(_face);
        if (GlyphCount == 0)
        {
            Dispose();
            throw new InvalidDataException($"{name} is not a font HarfBuzz can read (it has no glyphs).");
        }
    }

    public uint GlyphCount { get; }

    /// <summary>A font file with only the glyphs for <paramref name="codepoints"/> (and .notdef).</summary>
    public byte[] Subset(IEnumerable<int> codepoints)
    {
        var input = hb_subset_input_create_or_fail();
        if (input == IntPtr.Zero) throw new InvalidOperationException("HarfBuzz could not allocate a subset input.");
        try
        {
            var unicodes = hb_subset_input_unicode_set(input);
            foreach (var codepoint in codepoints) hb_set_add(unicodes, (uint)codepoint);
            // Without hinting instructions the glyphs are smaller; print and PDF viewers rasterize unhinted anyway.
            hb_subset_input_set_flags(input, NoHinting);
            var drop = hb_subset_input_set(input, DropTableTags);
            foreach (var tag in Unread) hb_set_add(drop, tag);

            var subset = hb_subset_or_fail(_face, input);
            if (subset == IntPtr.Zero) throw new InvalidOperationException("HarfBuzz could not subset the font.");
            try
            {
                var blob = hb_face_reference_blob(subset);
                try
                {
                    var data = hb_blob_get_data(blob, out var length);
                    var bytes = new byte[length];
                    Marshal.Copy(data, bytes, 0, (int)length);
                    return bytes;
                }
                finally { hb_blob_destroy(blob); }
            }
            finally { hb_face_destroy(subset); }
        }
        finally { hb_subset_input_destroy(input); }
    }

    private static uint Tag(string tag) => (uint)(tag[0] << 24 | tag[1] << 16 | tag[2] << 8 | tag[3]);

    public void Dispose()
    {
        if (_face != IntPtr.Zero) hb_face_destroy(_face);
        if (_blob != IntPtr.Zero) hb_blob_destroy(_blob);
        _face = _blob = IntPtr.Zero;
    }

    [LibraryImport(Library)] private static partial IntPtr hb_blob_create(IntPtr data, uint length, int mode, IntPtr userData, IntPtr destroy);
    [LibraryImport(Library)] private static partial void hb_blob_destroy(IntPtr blob);
    [LibraryImport(Library)] private static partial IntPtr hb_blob_get_data(IntPtr blob, out uint length);
    [LibraryImport(Library)] private static partial IntPtr hb_face_create(IntPtr blob, uint index);
    [LibraryImport(Library)] private static partial void hb_face_destroy(IntPtr face);
    [LibraryImport(Library)] private static partial uint hb_face_get_glyph_count(IntPtr face);
    [LibraryImport(Library)] private static partial IntPtr hb_face_reference_blob(IntPtr face);
    [LibraryImport(Library)] private static partial IntPtr hb_subset_input_create_or_fail();
    [LibraryImport(Library)] private static partial void hb_subset_input_destroy(IntPtr input);
    [LibraryImport(Library)] private static partial IntPtr hb_subset_input_unicode_set(IntPtr input);
    [LibraryImport(Library)] private static partial void hb_set_add(IntPtr set, uint codepoint);
    [LibraryImport(Library)] private static partial void hb_subset_input_set_flags(IntPtr input, uint flags);
    [LibraryImport(Library)] private static partial IntPtr hb_subset_input_set(IntPtr input, int setType);
    [LibraryImport(Library)] private static partial IntPtr hb_subset_or_fail(IntPtr face, IntPtr input);
}
