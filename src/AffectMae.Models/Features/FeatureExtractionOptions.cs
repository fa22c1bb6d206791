using System.ComponentModel.DataAnnotations;

namespace AffectMae.Models.Features;

/// <summary>How a <see cref="FeatureExtractor"/> treats bad input and other extraction processes.</summary>
public sealed class FeatureExtractionOptions
{
    /// <summary>The configuration section of these options (<c>AffectMae:Extraction</c>).</summary>
    public const string SectionName = "Extraction";

    /// <summary>
    /// A frame file that cannot be decoded: fail naming it, or treat the frame as one without an image (filled from
    /// the nearest frame, and reported). <value>The default value is <see cref="BadFramePolicy.Fail"/>.</value>
    /// </summary>
    [EnumDataType(typeof(BadFramePolicy), ErrorMessage = "FeatureExtractionOptions.BadFrames must be Fail or Skip.")]
    public BadFramePolicy BadFrames { get; set; } = BadFramePolicy.Fail;

    /// <summary>
    /// The largest share of a video's annotated frames that may take their features from a neighbour (no image, or an
    /// image skipped as bad); a video above it is refused, naming it. Every filled frame is reported per video either way.
    /// <value>
    /// The default value is 0.5: past half, most of the frames the temporal model reads for that video are copies of
    /// other frames, so its windows no longer show the face moving and most of its labels are paired with another
    /// frame's face. Aff-Wild2's <c>cropped_aligned</c> lacks the frames where no face was found; raise the value for
    /// videos known to be mostly without a face, rather than let a wrong folder or annotation file through.
    /// </value>
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "FeatureExtractionOptions.MaxFilledFraction must lie in 0 … 1 (0: no frame may be filled, 1: any number).")]
    public double MaxFilledFraction { get; set; } = 0.5;

    /// <summary>
    /// How old the heartbeat of a claim made on another machine (or in another container) must be before the claim counts
    /// as stale and is taken over; claims made on this machine are stale as soon as their process has ended. Keep it well
    /// above the time one encoder batch takes. <value>The default value is 10 minutes.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "FeatureExtractionOptions.StaleClaimAge must lie between 1 second and 7 days.")]
    public TimeSpan StaleClaimAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often a process whose videos are claimed by other processes looks again whether they are done (or their
    /// claims stale). <value>The default value is 2 seconds.</value>
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "FeatureExtractionOptions.ClaimPollInterval must lie between 1 ms and 10 minutes.")]
    public TimeSpan ClaimPollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
