// Per-frame prediction files in the layout of the 6th ABAW test-set submissions (ABAW_FORMATS.md):
//   VA   image_location,valence,arousal                    2-30-640x360/00001.jpg,0.5,-0.5
//   EXPR image_location,Neutral,Anger,…,Other              2-30-640x360/00001.jpg,4
//   AU   image_location,AU1,AU2,…,AU26                     2-30-640x360/00001.jpg,0,1,0,0,0,0,1,0,0,0,1,0
// One file holds every video; row k of a video is frame k (array index k−1).
using AffectMae.Metrics;

namespace AffectMae.Core.Data;

/// <summary>Writes predictions in the ABAW submission formats, atomically (temporary file, then rename).</summary>
/// <remarks>
/// Predictions travel in the annotation records, one per video, in the order given; a video may appear only once,
/// and unlabelled markers are rejected (every frame needs a prediction). Values are not clipped or rounded: a VA value
/// outside [−1, 1] or a class outside 0..7 throws <see cref="ArgumentException"/> naming video and frame, and the
/// target file is then left as it was. Lines end in <c>\n</c>.
/// </remarks>
public static class SubmissionWriter
{
    /// <summary>The image location of frame <paramref name="frameNumber"/> of <paramref name="video"/>: <c>&lt;video&gt;/{n:D5}.jpg</c>.</summary>
    /// <param name="video">The video name.</param>
    /// <param name="frameNumber">1-based frame number.</param>
    /// <returns>For example <c>2-30-640x360/00001.jpg</c>.</returns>
    public static string ImageLocation(string video, int frameNumber) => $"{video}/{VideoAnnotation.FrameFileName(frameNumber)}";

    /// <summary>Writes <c>image_location,valence,arousal</c> then one row per frame of each video.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="predictions">Valence and arousal per frame, each in [−1, 1].</param>
    /// <exception cref="ArgumentException">A value below −1, or a video given twice.</exception>
    public static void WriteValenceArousal(string path, IEnumerable<ValenceArousalAnnotation> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        AtomicTextFile.Write(path, writer =>
        {
            writer.WriteLine("image_location,valence,arousal");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var video in predictions)
            {
                CheckOnce(seen, video);
                var values = video.Values;
                for (int i = 0; i < values.Length; i += ValenceArousalAnnotation.Columns)
                {
                    int frame = i / ValenceArousalAnnotation.Columns + 1;
                    if (values[i] < -1 || values[i + 1] < -1)
                        throw new ArgumentException(
                            $"Video {video.Video} frame {frame} has valence {values[i]}, arousal {values[i + 1]}; expected predictions in [-1, 1].",
                            nameof(predictions));
                    writer.WriteImageLocation(video.Video, frame);
                    writer.Write(',');
                    writer.WriteInvariant(values[i]);
                    writer.Write(',');
                    writer.WriteInvariant(values[i + 1]);
                    writer.WriteLine();
                }
            }
        });
    }

    /// <summary>Writes <c>image_location,Neutral,…,Other</c> then one <c>&lt;location&gt;,&lt;class&gt;</c> row per frame of each video.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="predictions">Predicted class index per frame, each 0..7.</param>
    /// <exception cref="ArgumentException">A label −1, or a video given twice.</exception>
    public static void WriteExpression(string path, IEnumerable<ExpressionAnnotation> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        AtomicTextFile.Write(path, writer =>
        {
            writer.WriteLine("image_location," + string.Join(',', AffectLabels.ExpressionNames));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var video in predictions)
            {
                CheckOnce(seen, video);
                var labels = video.Labels;
                for (int i = 0; i < labels.Length; i++)
                {
                    if (AffectLabels.IsUnlabelledExpression(labels[i]))
                        throw new ArgumentException(
                            $"Video {video.Video} frame {i + 1} has label -1; expected a predicted class 0..{AffectLabels.ExpressionClassCount - 1}.",
                            nameof(predictions));
                    writer.WriteImageLocation(video.Video, i + 1);
                    writer.Write(',');
                    writer.WriteInvariant(labels[i]);
                    writer.WriteLine();
                }
            }
        });
    }

    /// <summary>Writes <c>image_location,AU1,…,AU26</c> then one row of twelve 0/1 values per frame of each video.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="predictions">Predicted AU occurrence per frame, each 0 or 1.</param>
    /// <exception cref="ArgumentException">A value −1, or a video given twice.</exception>
    public static void WriteActionUnits(string path, IEnumerable<ActionUnitAnnotation> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        AtomicTextFile.Write(path, writer =>
        {
            writer.WriteLine("image_location," + string.Join(',', AffectLabels.ActionUnitNames));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var video in predictions)
            {
                CheckOnce(seen, video);
                for (int frame = 0; frame < video.FrameCount; frame++)
                {
                    var row = video.Row(frame);
                    if (row.Contains(AffectLabels.UnlabelledActionUnit))
                        throw new ArgumentException(
                            $"Video {video.Video} frame {frame + 1} holds -1; expected a predicted 0 or 1 for every AU.", nameof(predictions));
                    writer.WriteImageLocation(video.Video, frame + 1);
                    foreach (int value in row)
                    {
                        writer.Write(',');
                        writer.Write(value == 1 ? '1' : '0');
                    }
                    writer.WriteLine();
                }
            }
        });
    }

    private static void CheckOnce(HashSet<string> seen, VideoAnnotation video)
    {
        ArgumentNullException.ThrowIfNull(video);
        if (!seen.Add(video.Video))
            throw new ArgumentException($"Video {video.Video} is given twice; a submission holds each video once.", "predictions");
    }
}
