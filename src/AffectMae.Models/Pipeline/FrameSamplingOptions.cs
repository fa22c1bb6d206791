using System.ComponentModel.DataAnnotations;

namespace AffectMae.Models.Pipeline;

/// <summary>Which frames the two image stages read: every k-th (consecutive video frames are near duplicates).</summary>
public sealed class FrameSamplingOptions
{
    /// <summary>The configuration section of these options within the recipe (<c>AffectMae:Recipe:Sampling</c>).</summary>
    public const string SectionName = "Sampling";

    /// <summary>MAE pre-training reads every k-th frame of the training videos. <value>The default value is 1 (every frame).</value></summary>
    [Range(1, 1_000_000, ErrorMessage = "FrameSamplingOptions.PretrainStride must be at least 1 (1 reads every frame).")]
    public int PretrainStride { get; set; } = 1;

    /// <summary>Expression fine-tuning reads every k-th labelled frame. <value>The default value is 1 (every frame).</value></summary>
    [Range(1, 1_000_000, ErrorMessage = "FrameSamplingOptions.FineTuneStride must be at least 1 (1 reads every frame).")]
    public int FineTuneStride { get; set; } = 1;
}
