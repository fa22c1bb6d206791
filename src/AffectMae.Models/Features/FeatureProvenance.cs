using System.Globalization;
using AffectMae.Models.Data;

namespace AffectMae.Models.Features;

/// <summary>
/// What made a video's cached features: the encoder's weights (the SHA-256 of its bundle's weights file), the input
/// transform (image size, resize filter, per-channel normalisation) and the precision the encoder ran in. A
/// <see cref="FeatureCache"/> entry records it in its metadata, and an entry made with anything else is stale: its
/// features are not what this encoder gives.
/// </summary>
public sealed class FeatureProvenance
{
    /// <summary>Metadata key of <see cref="EncoderSha256"/>.</summary>
    public const string EncoderSha256Key = "encoder_sha256";

    /// <summary>Describes features of the encoder whose weights hash to <paramref name="encoderSha256"/>, fed by <paramref name="transform"/>.</summary>
    /// <param name="encoderSha256">Lower-case hexadecimal SHA-256 of the encoder's weights file (<c>ModelManifest.WeightsSha256</c>).</param>
    /// <param name="transform">The evaluation transform the frames went through (no random crop, no flip).</param>
    /// <param name="precision">The precision the encoder ran in: float32 (when null), bfloat16 or float16 (<see cref="Runtime.PrecisionChoice.NameOf"/>).</param>
    /// <exception cref="ArgumentException">A value is empty, or the transform draws random crops or flips.</exception>
    public FeatureProvenance(string encoderSha256, ImageTransform transform, string? precision = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(encoderSha256);
        ArgumentNullException.ThrowIfNull(transform);
        precision ??= Runtime.PrecisionChoice.NameOf(Runtime.InferencePrecision.Float32);
        ArgumentException.ThrowIfNullOrWhiteSpace(precision);
        if (transform.Crop is not null || transform.FlipProbability > 0)
            throw new ArgumentException("Cached features come from the evaluation transform (no random crop, no flip), e.g. ImageTransform.Eval.", nameof(transform));
        EncoderSha256 = encoderSha256;
        ImageSize = transform.Side;
        Resize = transform.Filter;
        Mean = transform.Normalization?.Mean.ToArray() ?? [];
        Std = transform.Normalization?.Std.ToArray() ?? [];
        Precision = precision;
    }

    /// <summary>SHA-256 of the encoder's weights.</summary>
    public string EncoderSha256 { get; }

    /// <summary>The side frames were resized to.</summary>
    public int ImageSize { get; }

    /// <summary>The resize filter.</summary>
    public ResizeFilter Resize { get; }

    /// <summary>The channel means subtracted (R, G, B); empty without normalisation.</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>The channel standard deviations divided by (R, G, B); empty without normalisation.</summary>
    public IReadOnlyList<float> Std { get; }

    /// <summary>The precision the encoder ran in: float32, bfloat16 or float16.</summary>
    public string Precision { get; }

    /// <summary>The metadata entries that record this provenance in a cache file.</summary>
    public IReadOnlyDictionary<string, string> ToMetadata() => new Dictionary<string, string>
    {
        [EncoderSha256Key] = EncoderSha256,
        ["image_size"] = ImageSize.ToString(CultureInfo.InvariantCulture),
        ["resize"] = Resize.ToString().ToLowerInvariant(),
        ["normalization_mean"] = Numbers(Mean),
        ["normalization_std"] = Numbers(Std),
        ["precision"] = Precision,
    };

    /// <summary>How a cache file's metadata differs from this provenance, one description a setting (empty when it matches).</summary>
    /// <param name="metadata">The file's <c>__metadata__</c>.</param>
    public IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.ContainsKey(EncoderSha256Key))
            return ["it records nothing of what made it (written before AffectMae recorded the encoder and settings)"];
        var differences = new List<string>();
        foreach (var (key, expected) in ToMetadata())
        {
            string? recorded = metadata.GetValueOrDefault(key);
            if (recorded != expected)
                differences.Add($"{key} {Core.IO.PrintableText.Quote(recorded ?? "(none)", 70)}, now {Core.IO.PrintableText.Quote(expected, 70)}");
        }
        return differences;
    }

    private static string Numbers(IReadOnlyList<float> values) =>
        values.Count == 0 ? "none" : string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}
