using System.ComponentModel.DataAnnotations;
using AffectMae.Core.Data;
using AffectMae.Video.Faces;

namespace AffectMae.Video;

/// <summary>Settings of <see cref="FaceCropPipeline"/>: detector, tracker, crop rule and queue sizes.</summary>
public sealed class FacePipelineOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "FacePipeline";

    /// <summary>The face detector.</summary>
    public FaceDetectorOptions Detector { get; set; } = new();

    /// <summary>How the subject is followed from frame to frame.</summary>
    public FaceTrackerOptions Tracker { get; set; } = new();

    /// <summary>
    /// How faces are cut out, or <see langword="null"/> for the default rule: <see cref="FaceCropOptions"/>' defaults
    /// in a <see cref="FaceCropPipeline"/>, and the encoder bundle's own rule in a <see cref="Recognition.VideoAffectRecognizer"/>
    /// (which refuses any other, so prediction crops the way the training frames were cropped).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public FaceCropOptions? Crop { get; set; }

    /// <summary>
    /// Frames each queue between two stages (decode → detect → crop → caller) holds at most. Memory stays bounded by
    /// about 3 × this many decoded frames plus as many crops, whatever the video's length.
    /// </summary>
    /// <value>The default value is 8.</value>
    [Range(1, 1024, ErrorMessage = "FacePipelineOptions.QueueCapacity must lie in [1, 1024] frames; use 8 (each queued frame of a 1080p video takes about 6 MB).")]
    public int QueueCapacity { get; set; } = 8;
}
