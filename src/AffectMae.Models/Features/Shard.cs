using System.Globalization;

namespace AffectMae.Models.Features;

/// <summary>
/// Shard i of N (0-based): the videos at positions i, i + N, i + 2N, … of the ordinal-sorted video list. Every
/// machine that sees the same list takes a disjoint share without coordination, and the N shards cover all videos.
/// </summary>
public readonly record struct Shard
{
    /// <summary>Creates shard <paramref name="index"/> of <paramref name="count"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">count ≤ 0, or index outside [0, count).</exception>
    public Shard(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (index < 0 || index >= count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The shard index must be in [0, {count}).");
        Index = index;
        Count = count;
    }

    /// <summary>The whole data set as one shard.</summary>
    public static Shard All => new(0, 1);

    /// <summary>0-based shard number.</summary>
    public int Index { get; }

    /// <summary>Number of shards.</summary>
    public int Count { get; }

    /// <summary>Parses <c>"i/N"</c> (0-based i), as given to <c>--shard</c>.</summary>
    /// <exception cref="FormatException">The text is not of the form i/N with 0 ≤ i &lt; N.</exception>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count > 0 && index < count)
            return new Shard(index, count);
        throw new FormatException($"'{text}' is not a shard: write i/N with 0 ≤ i < N, e.g. 0/4 for the first of four machines.");
    }

    /// <summary>This shard's videos, in ordinal order.</summary>
    public IReadOnlyList<string> Select(IEnumerable<string> videos)
    {
        ArgumentNullException.ThrowIfNull(videos);
        int index = Index, count = Count;
        return videos.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Where((_, position) => position % count == index).ToList();
    }

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";
}
