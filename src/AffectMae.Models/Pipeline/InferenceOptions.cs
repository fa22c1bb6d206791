using System.ComponentModel.DataAnnotations;

namespace AffectMae.Models.Pipeline;

/// <summary>How trained models run on frames: feature extraction, evaluation and prediction.</summary>
public sealed class InferenceOptions
{
    /// <summary>The configuration section of these options within the recipe (<c>AffectMae:Recipe:Inference</c>).</summary>
    public const string SectionName = "Inference";

    /// <summary>Frames an encoder call (feature extraction and prediction). <value>The default value is 64.</value></summary>
    [Range(1, 65_536, ErrorMessage = "InferenceOptions.BatchSize must lie in 1 … 65536 frames; 64 suits ViT-B on a CPU.")]
    public int BatchSize { get; set; } = 64;
}
