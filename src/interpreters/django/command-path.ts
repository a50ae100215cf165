/** A Django management command's file (`<app>/management/commands/<name>.py`); group 1 is the command's name. Light: the format's claim uses it. */
export const MANAGEMENT_COMMAND = /(?:^|\/)management\/commands\/(?!__init__\.py$)([^/]+)\.py$/;
