using System.Collections.Concurrent;

namespace KneeClinic.Documents.Layout;

/// <summary>
/// Lines already broken, by their text, styles and width. Most of a consent is template text that reads the
/// same in every document, so it is broken into lines once; the few runs that carry patient data miss the
/// cache and are laid out fresh. The lines are immutable, so documents on different threads share them.
/// </summary>
public sealed class LineCache(int capacity = 20_000)
{
    private readonly ConcurrentDictionary<Key, IReadOnlyList<TextLine>> _lines = new();

    public IReadOnlyList<TextLine> GetOrAdd(IReadOnlyList<Run> runs, float width, Func<IReadOnlyList<TextLine>> layOut)
    {
        var key = new Key([.. runs], width);
        if (_lines.TryGetValue(key, out var lines)) return lines;
        lines = layOut();
        if (_lines.Count >= capacity) _lines.Clear(); // a crude bound; the template text comes back within a document
        _lines.TryAdd(key, lines);
        return lines;
    }

    private sealed class Key(Run[] runs, float width) : IEquatable<Key>
    {
        private readonly int _hash = Hash(runs, width);

        public bool Equals(Key? other) =>
            other is not null && other._hash == _hash && other.Width == Width && other.Runs.AsSpan().SequenceEqual(Runs);

        public override bool Equals(object? obj) => Equals(obj as Key);

        public override int GetHashCode() => _hash;

        private Run[] Runs { get; } = runs;

        private float Width { get; } = width;

        private static int Hash(Run[] runs, float width)
        {
            var hash = new HashCode();
            hash.Add(width);
            foreach (var run in runs)
            {
                hash.Add(run.Text);
                hash.Add(run.Style);
            }
            return hash.ToHashCode();
        }
    }
}
