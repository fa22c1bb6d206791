namespace AffectMae.Models.Evaluation;

/// <summary>How far a temporal model's prediction over a dataset has got: windows predicted out of all of them.</summary>
/// <param name="WindowsDone">Windows predicted so far.</param>
/// <param name="WindowCount">Windows of every video together.</param>
public readonly record struct EvaluationProgress(int WindowsDone, int WindowCount);
