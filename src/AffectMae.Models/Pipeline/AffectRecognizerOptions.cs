using System.ComponentModel.DataAnnotations;
using AffectMae.Models.Evaluation;
using AffectMae.Models.Features;
using AffectMae.Models.Runtime;

namespace AffectMae.Models.Pipeline;

/// <summary>What <see cref="AffectRecognizer.PredictFolder"/> does with frame numbers that have no image.</summary>
public enum FrameGapPolicy
{
    /// <summary>Keep a row for each missing number, marked as without a face; the temporal model sees it as padding.</summary>
    Mark,

    /// <summary>Refuse a folder with gaps, naming them.</summary>
    Refuse,
}

/// <summary>How an <see cref="AffectRecognizer"/> runs; checked by <see cref="AffectRecognizerOptionsValidator"/>.</summary>
public sealed class AffectRecognizerOptions
{
    /// <summary>The configuration section of these options (<c>AffectMae:Recognizer</c>).</summary>
    public const string SectionName = "Recognizer";

    /// <summary>Frames an encoder call. <value>The default value is 64.</value></summary>
    [Range(1, 65_536, ErrorMessage = "AffectRecognizerOptions.BatchSize must lie in 1 … 65536 frames.")]
    public int BatchSize { get; set; } = 64;

    /// <summary>Windows a temporal-model call. <value>The default value is 8.</value></summary>
    [Range(1, 4096, ErrorMessage = "AffectRecognizerOptions.WindowBatchSize must lie in 1 … 4096 windows.")]
    public int WindowBatchSize { get; set; } = 8;

    /// <summary>Threads decoding image files ahead of the encoder (0: on the calling thread). <value>The default value is 2.</value></summary>
    [Range(0, 64, ErrorMessage = "AffectRecognizerOptions.DecodeWorkers must lie in 0 … 64.")]
    public int DecodeWorkers { get; set; } = 2;

    /// <summary>Frame numbers missing from a folder. <value>The default value is <see cref="FrameGapPolicy.Mark"/>.</value></summary>
    [EnumDataType(typeof(FrameGapPolicy), ErrorMessage = "AffectRecognizerOptions.Gaps must be Mark or Refuse.")]
    public FrameGapPolicy Gaps { get; set; } = FrameGapPolicy.Mark;

    /// <summary>
    /// How the temporal model predicts — protocol, valence/arousal clipping, expression mode filter, action-unit rule —
    /// or null for the way its bundle records (<see cref="TemporalBundle.Inference"/>, the recipe's at training).
    /// <see cref="InferenceOptions.EncoderBatchSize"/> is not used from here (<see cref="BatchSize"/> is).
    /// <value>The default value is null.</value>
    /// </summary>
    public InferenceOptions? Inference { get; set; }

    /// <summary>
    /// The precision both models compute in, or null for <see cref="Inference"/>'s (<see cref="InferenceOptions.Precision"/>,
    /// by default the one the temporal bundle records). <value>The default value is null.</value>
    /// </summary>
    [EnumDataType(typeof(InferencePrecision), ErrorMessage = "AffectRecognizerOptions.Precision must be Float32, BFloat16, Float16 (CUDA only), Auto or null.")]
    public InferencePrecision? Precision { get; set; }

    /// <summary>
    /// Image files that cannot be decoded (zero bytes, truncated, not an image): fail naming the file, or make them frames
    /// without a face, listed in <see cref="VideoAffect.BadFrames"/>. <value>The default value is <see cref="BadFramePolicy.Fail"/>.</value>
    /// </summary>
    [EnumDataType(typeof(BadFramePolicy), ErrorMessage = "AffectRecognizerOptions.BadFrames must be Fail or Skip.")]
    public BadFramePolicy BadFrames { get; set; } = BadFramePolicy.Fail;

    /// <summary>
    /// Run a temporal model on an encoder other than the one whose features it was trained on (its manifest's
    /// <c>EncoderSha256</c>). <value>The default value is false: such a pair is refused.</value>
    /// </summary>
    public bool AllowEncoderMismatch { get; set; }
}
