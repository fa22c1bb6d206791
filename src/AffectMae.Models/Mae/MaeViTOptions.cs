using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using AffectMae.Core.Options;
using Microsoft.Extensions.Options;

namespace AffectMae.Models.Mae;

/// <summary>How features are pooled from the encoder by <see cref="MaeViT.ExtractFeatures"/>.</summary>
public enum FeaturePooling
{
    /// <summary>LayerNorm of the mean of the patch tokens (the MAE fine-tuning recipe's global pool).</summary>
    MeanPatchTokens,

    /// <summary>The class token after the final LayerNorm.</summary>
    ClassToken,
}

/// <summary>
/// Sizes of a masked-autoencoder ViT (He et al., 2022). The defaults are ViT-B/16 with the 512-wide, 8-block decoder
/// used by the paper (<see cref="Base16Dec512D8"/>).
/// </summary>
public sealed class MaeViTOptions
{
    /// <summary>The configuration section of these options within the recipe (<c>AffectMae:Recipe:Mae</c>).</summary>
    public const string SectionName = "Mae";

    /// <summary>Square input side in pixels. <value>The default value is 224.</value></summary>
    [Range(1, 8192, ErrorMessage = "MaeViTOptions.ImageSize must lie in 1 … 8192 pixels; the paper uses 224.")]
    public int ImageSize { get; set; } = 224;

    /// <summary>Square patch side; must divide <see cref="ImageSize"/>. <value>The default value is 16.</value></summary>
    [Range(1, 8192, ErrorMessage = "MaeViTOptions.PatchSize must lie in 1 … 8192 pixels; the paper uses 16.")]
    public int PatchSize { get; set; } = 16;

    /// <summary>Input channels. <value>The default value is 3.</value></summary>
    [Range(1, 64, ErrorMessage = "MaeViTOptions.InChannels must lie in 1 … 64; RGB frames have 3.")]
    public int InChannels { get; set; } = 3;

    /// <summary>Encoder width. <value>The default value is 768.</value></summary>
    [Range(1, 65536, ErrorMessage = "MaeViTOptions.EmbedDim must be positive; ViT-B uses 768.")]
    public int EmbedDim { get; set; } = 768;

    /// <summary>Encoder blocks. <value>The default value is 12.</value></summary>
    [Range(1, 1024, ErrorMessage = "MaeViTOptions.Depth must be at least 1 block; ViT-B uses 12.")]
    public int Depth { get; set; } = 12;

    /// <summary>Encoder attention heads; must divide <see cref="EmbedDim"/>. <value>The default value is 12.</value></summary>
    [Range(1, 1024, ErrorMessage = "MaeViTOptions.NumHeads must be at least 1; ViT-B uses 12.")]
    public int NumHeads { get; set; } = 12;

    /// <summary>Decoder width. <value>The default value is 512.</value></summary>
    [Range(1, 65536, ErrorMessage = "MaeViTOptions.DecoderEmbedDim must be positive; MAE uses 512.")]
    public int DecoderEmbedDim { get; set; } = 512;

    /// <summary>Decoder blocks. <value>The default value is 8.</value></summary>
    [Range(1, 1024, ErrorMessage = "MaeViTOptions.DecoderDepth must be at least 1 block; MAE uses 8.")]
    public int DecoderDepth { get; set; } = 8;

    /// <summary>Decoder heads; must divide <see cref="DecoderEmbedDim"/>. <value>The default value is 16.</value></summary>
    [Range(1, 1024, ErrorMessage = "MaeViTOptions.DecoderNumHeads must be at least 1; MAE uses 16.")]
    public int DecoderNumHeads { get; set; } = 16;

    /// <summary>Hidden width of each MLP as a multiple of the block width. <value>The default value is 4.</value></summary>
    [Range(0.0, 64.0, MinimumIsExclusive = true, ErrorMessage = "MaeViTOptions.MlpRatio must lie in (0, 64]; ViT uses 4.")]
    public double MlpRatio { get; set; } = 4.0;

    /// <summary>LayerNorm epsilon. <value>The default value is 1e-6.</value></summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = "MaeViTOptions.LayerNormEps must lie in (0, 1]; MAE uses 1e-6.")]
    public double LayerNormEps { get; set; } = 1e-6;

    /// <summary>Fraction of patches removed in pre-training (MAE's <c>mask_ratio</c>). <value>The default value is 0.75 (the paper's).</value></summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "MaeViTOptions.MaskRatio must lie in [0, 1); the paper removes 0.75 of the patches.")]
    public double MaskRatio { get; set; } = 0.75;

    /// <summary>Normalise each target patch by its own mean and variance in the loss. <value>The default value is false.</value></summary>
    public bool NormPixLoss { get; set; }

    /// <summary>Pooling used by <see cref="MaeViT.ExtractFeatures"/>. <value>The default value is <see cref="FeaturePooling.MeanPatchTokens"/>.</value></summary>
    public FeaturePooling Pooling { get; set; } = FeaturePooling.MeanPatchTokens;

    /// <summary>Number of patches along one side.</summary>
    [JsonIgnore]
    public int GridSize => ImageSize / PatchSize;

    /// <summary>ViT-B/16 encoder with a 512-wide, 8-block, 16-head decoder (MAE's <c>mae_vit_base_patch16_dec512d8b</c>; the paper's model).</summary>
    public static MaeViTOptions Base16Dec512D8 => new();

    /// <summary>ViT-L/16 encoder with the same decoder (MAE's <c>mae_vit_large_patch16_dec512d8b</c>).</summary>
    public static MaeViTOptions Large16Dec512D8 => new() { EmbedDim = 1024, Depth = 24, NumHeads = 16 };

    /// <summary>A tiny model for tests: 32×32 images, 8×8 patches (L = 16), width 64, 2 blocks; decoder 32 wide, 1 block.</summary>
    public static MaeViTOptions Tiny => new()
    {
        ImageSize = 32, PatchSize = 8, EmbedDim = 64, Depth = 2, NumHeads = 4,
        DecoderEmbedDim = 32, DecoderDepth = 1, DecoderNumHeads = 4,
    };
}

/// <summary>Checks <see cref="MaeViTOptions"/>: the DataAnnotations ranges, then the rules that join fields; each message says what to change.</summary>
public sealed class MaeViTOptionsValidator : IValidateOptions<MaeViTOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MaeViTOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = OptionsValidation.AnnotationFailures(options);
        if (failures.Count > 0) return OptionsValidation.ToResult(failures);

        if (options.ImageSize % options.PatchSize != 0)
            failures.Add($"MaeViTOptions.ImageSize ({options.ImageSize}) must be a multiple of PatchSize ({options.PatchSize}).");
        if (options.EmbedDim % options.NumHeads != 0)
            failures.Add($"MaeViTOptions.EmbedDim ({options.EmbedDim}) must be divisible by NumHeads ({options.NumHeads}).");
        if (options.DecoderEmbedDim % options.DecoderNumHeads != 0)
            failures.Add($"MaeViTOptions.DecoderEmbedDim ({options.DecoderEmbedDim}) must be divisible by DecoderNumHeads ({options.DecoderNumHeads}).");
        if (options.EmbedDim % 4 != 0 || options.DecoderEmbedDim % 4 != 0)
            failures.Add($"MaeViTOptions.EmbedDim ({options.EmbedDim}) and DecoderEmbedDim ({options.DecoderEmbedDim}) must be multiples of 4 for the 2-D sin-cos position table.");
        if (!Enum.IsDefined(options.Pooling))
            failures.Add($"MaeViTOptions.Pooling {options.Pooling} is not one of {string.Join(", ", Enum.GetNames<FeaturePooling>())}.");
        return OptionsValidation.ToResult(failures);
    }
}
