using AffectMae.Core.Data;
using AffectMae.Models.Evaluation;

namespace AffectMae.Models.Pipeline;

/// <summary>Per-frame predictions in the ABAW submission layout: <c>va.txt</c>, <c>expr.txt</c> and <c>au.txt</c> in one folder (see <see cref="SubmissionWriter"/>).</summary>
public static class AbawSubmission
{
    /// <summary>The file of the valence/arousal challenge.</summary>
    public const string ValenceArousalFile = "va.txt";

    /// <summary>The file of the expression challenge.</summary>
    public const string ExpressionFile = "expr.txt";

    /// <summary>The file of the action-unit challenge.</summary>
    public const string ActionUnitsFile = "au.txt";

    /// <summary>Writes the files of the tasks every video has predictions for (action units at 0.5); returns their paths.</summary>
    /// <param name="folder">Where the files go (created when needed).</param>
    /// <param name="predictions">One entry a video; row k of a video is frame k.</param>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<VideoPredictions> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        return WriteFiles(folder,
            predictions.All(p => p.ValenceArousal is not null) ? predictions.Select(p => new ValenceArousalAnnotation(p.Video, p.ValenceArousal!)) : null,
            predictions.All(p => p.ExpressionLogits is not null) ? predictions.Select(p => new ExpressionAnnotation(p.Video, p.ExpressionClasses()!)) : null,
            predictions.All(p => p.ActionUnitProbabilities is not null) ? predictions.Select(p => new ActionUnitAnnotation(p.Video, p.ActionUnits()!)) : null);
    }

    /// <summary>
    /// Writes a recognizer's results. A submission needs a value for every frame, so a frame without a face takes the
    /// values of the nearest earlier frame with one (the first such frame at the start), as feature extraction fills
    /// frames without an image; action units are the decisions at the bundle's thresholds.
    /// </summary>
    /// <param name="folder">Where the files go (created when needed).</param>
    /// <param name="videos">One entry a video; each must start at frame 1 and have a face somewhere.</param>
    /// <exception cref="ArgumentException">A video does not start at frame 1 or has no frame with a face; the message names it.</exception>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<VideoAffect> videos)
    {
        ArgumentNullException.ThrowIfNull(videos);
        var filled = videos.Select(v => (v.Video, Frames: Filled(v))).ToList();
        bool Has(Func<FrameAffect, bool> task) => filled.All(v => v.Frames.All(task));
        return WriteFiles(folder,
            Has(f => !float.IsNaN(f.Valence)) ? filled.Select(v => new ValenceArousalAnnotation(v.Video, [.. v.Frames.SelectMany(f => new[] { f.Valence, f.Arousal })])) : null,
            Has(f => f.Expression >= 0) ? filled.Select(v => new ExpressionAnnotation(v.Video, [.. v.Frames.Select(f => f.Expression)])) : null,
            Has(f => f.ActionUnits.Count > 0) ? filled.Select(v => new ActionUnitAnnotation(v.Video, [.. v.Frames.SelectMany(f => f.ActionUnits.Select(d => d ? 1 : 0))])) : null);
    }

    private static List<string> WriteFiles(string folder, IEnumerable<ValenceArousalAnnotation>? va, IEnumerable<ExpressionAnnotation>? expr, IEnumerable<ActionUnitAnnotation>? au)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        if (va is not null) SubmissionWriter.WriteValenceArousal(Add(ValenceArousalFile), va);
        if (expr is not null) SubmissionWriter.WriteExpression(Add(ExpressionFile), expr);
        if (au is not null) SubmissionWriter.WriteActionUnits(Add(ActionUnitsFile), au);
        return written;

        string Add(string name)
        {
            string path = Path.Combine(folder, name);
            written.Add(path);
            return path;
        }
    }

    private static FrameAffect[] Filled(VideoAffect video)
    {
        if (video.Frames.Count == 0 || video.Frames[0].Frame != 1)
            throw new ArgumentException($"Video '{video.Video}' starts at frame {(video.Frames.Count == 0 ? "none" : video.Frames[0].Frame)}; a submission numbers frames from 1.", nameof(video));
        var faces = video.Frames.Where(f => f.FaceFound).ToList();
        if (faces.Count == 0)
            throw new ArgumentException($"Video '{video.Video}' has no frame with a face; there is nothing to submit.", nameof(video));
        var filled = new FrameAffect[video.Frames.Count];
        FrameAffect? previous = null;
        for (int i = 0; i < filled.Length; i++)
        {
            if (video.Frames[i].FaceFound) previous = video.Frames[i];
            filled[i] = previous ?? faces[0];
        }
        return filled;
    }
}
