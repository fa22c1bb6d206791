namespace AffectMae.Models.Data;

/// <summary>
/// Per-channel normalisation of [0, 1] RGB planes, x′ = (x − mean_c) / std_c, computed in float32 exactly as
/// torchvision's <c>Normalize</c> (subtract, then divide).
/// </summary>
public sealed class ImageNormalization
{
    private readonly float[] mean;
    private readonly float[] std;

    /// <summary>Creates a normalisation from three means and three standard deviations (R, G, B).</summary>
    /// <param name="mean">Channel means in [0, 1] units.</param>
    /// <param name="std">Channel standard deviations, each positive.</param>
    /// <exception cref="ArgumentException">Not three values each, or a standard deviation is not positive.</exception>
    public ImageNormalization(IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count != 3 || std.Count != 3)
            throw new ArgumentException($"Give one mean and one std per RGB channel (3 each); got {mean.Count} and {std.Count}.", nameof(mean));
        if (std.Any(s => !(s > 0)))
            throw new ArgumentException($"Every std must be positive; got [{string.Join(", ", std)}].", nameof(std));
        this.mean = [.. mean];
        this.std = [.. std];
    }

    /// <summary>ImageNet statistics, the ones MAE and timm use: mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).</summary>
    public static ImageNormalization ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>Channel means (R, G, B).</summary>
    public IReadOnlyList<float> Mean => mean;

    /// <summary>Channel standard deviations (R, G, B).</summary>
    public IReadOnlyList<float> Std => std;

    /// <summary>Normalises planar RGB in place.</summary>
    /// <param name="planes">[3, H, W] values, channel-major (the R plane, then G, then B).</param>
    /// <exception cref="ArgumentException">The length is not a multiple of 3.</exception>
    public void Apply(Span<float> planes)
    {
        if (planes.Length % 3 != 0)
            throw new ArgumentException($"Planar RGB needs a length divisible by 3; got {planes.Length}.", nameof(planes));
        int plane = planes.Length / 3;
        for (int c = 0; c < 3; c++)
        {
            var channel = planes.Slice(c * plane, plane);
            float m = mean[c], s = std[c];
            for (int i = 0; i < channel.Length; i++)
                channel[i] = (channel[i] - m) / s;
        }
    }
}
