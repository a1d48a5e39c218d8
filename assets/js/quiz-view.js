export function startQuiz(api) {}
