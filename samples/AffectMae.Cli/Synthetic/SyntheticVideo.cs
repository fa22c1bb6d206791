// Everything about one synthetic video except its pixels: name, split, latent and nuisance state per frame, which
// frames have no image and which are unlabelled, and the three annotation records built from the latent states by
// AffectRules. Rendering needs nothing else, so labels and frames cannot disagree.
using AffectMae.Core.Data;
using AffectMae.Metrics;

namespace AffectMae.Cli.Synthetic;

/// <summary>The plan of one synthetic video: its state per frame and its ABAW annotations.</summary>
internal sealed class SyntheticVideo
{
    /// <summary>Builds the plan and its annotations.</summary>
    /// <param name="index">0-based video index; seeds the video's streams.</param>
    /// <param name="name">The video name (annotation file and frame folder name).</param>
    /// <param name="split">The split the video belongs to.</param>
    /// <param name="latent">Latent state per frame.</param>
    /// <param name="scene">Nuisance state per frame, as many as <paramref name="latent"/>.</param>
    /// <param name="look">The subject's appearance.</param>
    /// <param name="missingImages">Runs of frames written without an image.</param>
    /// <param name="unlabelledValenceArousal">Runs written as −5,−5 in the VA file.</param>
    /// <param name="unlabelledExpression">Runs written as −1 in the EXPR file.</param>
    /// <param name="unlabelledActionUnits">Runs written as twelve −1 in the AU file.</param>
    public SyntheticVideo(
        int index, string name, AbawSplit split, LatentState[] latent, SceneState[] scene, Appearance look,
        IReadOnlyList<FrameRun> missingImages, IReadOnlyList<FrameRun> unlabelledValenceArousal,
        IReadOnlyList<FrameRun> unlabelledExpression, IReadOnlyList<FrameRun> unlabelledActionUnits)
    {
        ArgumentNullException.ThrowIfNull(latent);
        ArgumentNullException.ThrowIfNull(scene);
        if (scene.Length != latent.Length)
            throw new ArgumentException($"Expected {latent.Length} scene states, one per frame; got {scene.Length}.", nameof(scene));
        Index = index;
        Name = name;
        Split = split;
        Latent = latent;
        Scene = scene;
        Look = look;
        MissingImages = missingImages;
        UnlabelledValenceArousal = unlabelledValenceArousal;
        UnlabelledExpression = unlabelledExpression;
        UnlabelledActionUnits = unlabelledActionUnits;
        MissingFrameNumbers = [.. missingImages.SelectMany(run => Enumerable.Range(run.Start + 1, run.Length)).Distinct().Order()];
        (ValenceArousal, Expression, ActionUnits) = BuildAnnotations();
    }

    /// <summary>0-based video index.</summary>
    public int Index { get; }

    /// <summary>The video name, e.g. <c>synth-003</c> or <c>synth-022_left</c>.</summary>
    public string Name { get; }

    /// <summary>The split the video belongs to.</summary>
    public AbawSplit Split { get; }

    /// <summary>Number of frames (annotation lines).</summary>
    public int FrameCount => Latent.Length;

    /// <summary>Latent state per frame. Do not modify.</summary>
    public LatentState[] Latent { get; }

    /// <summary>Pose, lighting and occlusion per frame. Do not modify.</summary>
    public SceneState[] Scene { get; }

    /// <summary>The subject's appearance.</summary>
    public Appearance Look { get; }

    /// <summary>Runs of frames that keep their annotation line but get no image.</summary>
    public IReadOnlyList<FrameRun> MissingImages { get; }

    /// <summary>Runs of frames unlabelled in the VA file.</summary>
    public IReadOnlyList<FrameRun> UnlabelledValenceArousal { get; }

    /// <summary>Runs of frames unlabelled in the EXPR file.</summary>
    public IReadOnlyList<FrameRun> UnlabelledExpression { get; }

    /// <summary>Runs of frames unlabelled in the AU file.</summary>
    public IReadOnlyList<FrameRun> UnlabelledActionUnits { get; }

    /// <summary>The VA annotation: the latent valence and arousal <see cref="ValenceArousalLagFrames"/> frames earlier, −5 in unlabelled runs.</summary>
    public ValenceArousalAnnotation ValenceArousal { get; }

    /// <summary>The EXPR annotation: <see cref="AffectRules.Expression"/> per frame, −1 in unlabelled runs.</summary>
    public ExpressionAnnotation Expression { get; }

    /// <summary>The AU annotation: <see cref="AffectRules.ActionUnits(LatentState)"/> per frame, −1 in unlabelled runs.</summary>
    public ActionUnitAnnotation ActionUnits { get; }

    /// <summary>1-based numbers of the frames without an image, ascending.</summary>
    public IReadOnlyList<int> MissingFrameNumbers { get; }

    /// <summary>Whether frame <paramref name="index"/> (0-based) has an image.</summary>
    /// <param name="index">0-based frame index.</param>
    /// <returns><see langword="false"/> inside a <see cref="MissingImages"/> run.</returns>
    public bool HasImage(int index) => !InAny(MissingImages, index);

    /// <summary>The annotation of one task.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The matching record.</returns>
    public VideoAnnotation Annotation(AffectTask task) => task switch
    {
        AffectTask.ValenceArousal => ValenceArousal,
        AffectTask.Expression => Expression,
        AffectTask.ActionUnits => ActionUnits,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown ABAW task."),
    };

    /// <summary>
    /// Frames by which the VA annotation trails the face: 30, one second at Aff-Wild2's 30 fps. Valence and arousal are
    /// rated continuously with a joystick while the video plays, and raters react late; the label of frame t is the
    /// latent state of frame t − 30 (of frame 0 for the first 30 frames). Expression and AU labels, which are marked
    /// frame by frame, describe the face that is drawn.
    /// </summary>
    public const int ValenceArousalLagFrames = 30;

    private (ValenceArousalAnnotation, ExpressionAnnotation, ActionUnitAnnotation) BuildAnnotations()
    {
        int n = FrameCount, columns = AffectLabels.ActionUnitCount;
        var va = new float[2 * n];
        var expression = new int[n];
        var actionUnits = new int[columns * n];
        for (int t = 0; t < n; t++)
        {
            var state = Latent[t];
            var rated = Latent[Math.Max(0, t - ValenceArousalLagFrames)];
            bool vaUnlabelled = InAny(UnlabelledValenceArousal, t);
            va[2 * t] = vaUnlabelled ? AffectLabels.UnlabelledValenceArousal : rated.Valence;
            va[2 * t + 1] = vaUnlabelled ? AffectLabels.UnlabelledValenceArousal : rated.Arousal;
            expression[t] = InAny(UnlabelledExpression, t) ? AffectLabels.UnlabelledExpression : (int)AffectRules.Expression(state);
            var row = actionUnits.AsSpan(columns * t, columns);
            if (InAny(UnlabelledActionUnits, t)) row.Fill(AffectLabels.UnlabelledActionUnit);
            else AffectRules.ActionUnits(AffectRules.Face(state), row);
        }
        return (new ValenceArousalAnnotation(Name, va), new ExpressionAnnotation(Name, expression), new ActionUnitAnnotation(Name, actionUnits));
    }

    private static bool InAny(IReadOnlyList<FrameRun> runs, int index)
    {
        foreach (var run in runs)
        {
            if (run.Contains(index)) return true;
        }
        return false;
    }
}
