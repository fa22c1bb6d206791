namespace AffectMae.Models.Pipeline;

/// <summary>One temporal-model configuration of the paper's Table 5: which features, and which of TCN and Transformer it uses.</summary>
/// <param name="Name">Its name in run folders, tables and on the command line.</param>
/// <param name="Encoder">Whose features it reads.</param>
/// <param name="UseTcn">Whether the TCN is in.</param>
/// <param name="UseTransformer">Whether the Transformer is in.</param>
public sealed record TemporalVariant(string Name, EncoderKind Encoder, bool UseTcn, bool UseTransformer)
{
    /// <summary>The paper's model: fine-tuned features → TCN → Transformer → heads.</summary>
    public static TemporalVariant Full { get; } = new("full", EncoderKind.FineTuned, true, true);

    /// <summary>Heads on each frame's features alone (no temporal context): the baseline the temporal model must beat.</summary>
    public static TemporalVariant FrameOnly { get; } = new("frame-only", EncoderKind.FineTuned, false, false);

    /// <summary>The paper's Table 5 rows: full; without fine-tuning; without TCN; without Transformer.</summary>
    public static IReadOnlyList<TemporalVariant> Ablations { get; } =
    [
        Full,
        new("no-finetuning", EncoderKind.Pretrained, true, true),
        new("no-tcn", EncoderKind.FineTuned, false, true),
        new("no-transformer", EncoderKind.FineTuned, true, false),
    ];

    /// <summary>Every variant: <see cref="FrameOnly"/> and the <see cref="Ablations"/>.</summary>
    public static IReadOnlyList<TemporalVariant> All { get; } = [FrameOnly, .. Ablations];

    /// <summary>The variant called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No variant has that name; the message lists the names.</exception>
    public static TemporalVariant Named(string name) =>
        All.SingleOrDefault(v => v.Name == name)
        ?? throw new ArgumentException($"There is no temporal variant '{name}'; use one of {string.Join(", ", All.Select(v => v.Name))}.", nameof(name));
}
