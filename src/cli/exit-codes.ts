/** ESLint's and Ruff's convention: 0 clean, 1 problems, 2 connlint could not do its job. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_FAILURE = 2;
